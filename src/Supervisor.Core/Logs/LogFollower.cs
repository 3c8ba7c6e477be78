using System.Runtime.CompilerServices;
using Microsoft.Win32.SafeHandles;

namespace Supervisor.Core.Logs;

/// <summary>
/// Follows a log file like <c>tail -F</c>: yields each new complete line, and keeps going when
/// the file is rotated (renamed away and replaced) or emptied by <c>sup flush</c>.
/// </summary>
/// <remarks>
/// Polls (every <see cref="PollInterval"/>) rather than watching, because file-change events
/// are unreliable across platforms and network folders. The followed file stays open, so after
/// a rotation its last lines are still read before moving to the new file. A replaced file is
/// recognized without inode numbers (not exposed by .NET): its first bytes differ from the open
/// file's, or, for files whose beginnings look alike, the open file has stopped growing for two
/// polls while the path shows another length.
/// </remarks>
public sealed class LogFollower(string path, TimeProvider time)
{
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(150);

    private const int HeadSize = 64;

    /// <summary>Follows from the file's current end: only lines written from now on.</summary>
    public IAsyncEnumerable<string> FollowAsync(CancellationToken ct) => FollowAsync(-1, ct);

    /// <summary>
    /// Follows from <paramref name="startOffset"/> (from the end when negative; from the start when
    /// beyond the end, as the file was emptied or replaced meanwhile). A missing file is waited
    /// for and then followed from its start. Ends quietly when <paramref name="ct"/> is cancelled.
    /// </summary>
    public async IAsyncEnumerable<string> FollowAsync(long startOffset, [EnumeratorCancellation] CancellationToken ct)
    {
        var reader = new FollowedFileReader();
        FollowedFile? file = null;
        var offset = startOffset;
        try
        {
            while (!ct.IsCancellationRequested)
            {
                file ??= FollowedFile.TryOpen(path);
                if (file is null && offset < 0)
                {
                    offset = 0; // Not there yet: when it appears, all of it is new.
                }
                if (file is not null)
                {
                    var length = file.Length;
                    if (offset < 0)
                    {
                        offset = length;
                    }
                    if (length < offset)
                    {
                        offset = 0; // Emptied in place (flush).
                    }
                    if (length > offset)
                    {
                        var before = offset;
                        foreach (var line in reader.ReadCompleteLines(file.Handle, ref offset, length, atEnd: false))
                        {
                            yield return line;
                        }
                        if (offset != before)
                        {
                            continue; // More may have arrived meanwhile: read again before sleeping.
                        }
                    }
                    if (file.IsReplacedAt(path))
                    {
                        // Rotated: whatever reached the old file before it was closed comes first.
                        foreach (var line in reader.ReadCompleteLines(file.Handle, ref offset, file.Length, atEnd: true))
                        {
                            yield return line;
                        }
                        file.Dispose();
                        file = null;
                        offset = 0;
                        continue;
                    }
                }
                if (!await DelayAsync(ct).ConfigureAwait(false))
                {
                    yield break;
                }
            }
        }
        finally
        {
            file?.Dispose();
        }
    }

    private async Task<bool> DelayAsync(CancellationToken ct)
    {
        try
        {
            await Task.Delay(PollInterval, time, ct).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>An open log file and what tells it apart from a file that replaced it at the same path.</summary>
    private sealed class FollowedFile : IDisposable
    {
        private long _lastLength = -1;
        private int _stalledMismatches;

        private FollowedFile(SafeFileHandle handle) => Handle = handle;

        public SafeFileHandle Handle { get; }

        public long Length => RandomAccess.GetLength(Handle);

        public static FollowedFile? TryOpen(string path)
        {
            var handle = TryOpenHandle(path);
            return handle is null ? null : new FollowedFile(handle);
        }

        /// <summary>Whether <paramref name="path"/> now names another file than the open one.</summary>
        public bool IsReplacedAt(string path)
        {
            using var current = TryOpenHandle(path);
            if (current is null)
            {
                return false; // Mid-rotation, or deleted: wait for a file to appear.
            }
            var ownLength = Length;
            var pathLength = RandomAccess.GetLength(current);
            var stalled = ownLength == _lastLength;
            _lastLength = ownLength;
            if (pathLength == 0 && ownLength > 0)
            {
                return true;
            }
            if (!SameHead(Handle, current, (int)Math.Min(HeadSize, Math.Min(ownLength, pathLength))))
            {
                return true;
            }
            // Same first bytes (say "y\n" repeated): the same file keeps one length at any instant,
            // so a different length twice in a row while ours did not grow means another file.
            _stalledMismatches = stalled && pathLength != ownLength ? _stalledMismatches + 1 : 0;
            return _stalledMismatches >= 2;
        }

        public void Dispose() => Handle.Dispose();

        private static bool SameHead(SafeFileHandle a, SafeFileHandle b, int length)
        {
            Span<byte> headA = stackalloc byte[HeadSize];
            Span<byte> headB = stackalloc byte[HeadSize];
            var readA = RandomAccess.Read(a, headA[..length], 0);
            var readB = RandomAccess.Read(b, headB[..length], 0);
            return headA[..readA].SequenceEqual(headB[..readB]);
        }

        private static SafeFileHandle? TryOpenHandle(string path)
        {
            try
            {
                return File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            }
            catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException)
            {
                return null;
            }
        }
    }
}
