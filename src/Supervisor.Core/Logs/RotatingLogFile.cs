using Microsoft.Win32.SafeHandles;
using Supervisor.Core.Platform;

namespace Supervisor.Core.Logs;

/// <summary>
/// One append-only log file that rotates at a size limit, shared by every writer of that file
/// (stdout and stderr pumps when logs are merged). Writes are serialized and each one is made of
/// whole lines, so lines of two writers never interleave.
/// </summary>
/// <remarks>
/// Nothing is buffered here: each write goes to the OS at once, straight from the caller's bytes
/// (see <see cref="PageAlignedAppender"/> for the one small copy). Callers already hand over
/// large chunks (a pump writes what one pipe read returned), so a buffer would only add a copy
/// and a flush timer, and readers (<c>sup logs</c>) see every line as soon as the app wrote it.
/// On a write error (disk full, folder deleted) the lines are dropped and counted rather than
/// blocking the app; see <see cref="Failed"/>.
/// </remarks>
public sealed partial class RotatingLogFile : IAsyncDisposable
{
    private readonly LogFileOptions _options;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly RotatedFileSet _rotated;
    private readonly PageAlignedAppender _pages = new();

    // Guarded by _gate.
    private SafeFileHandle? _handle;
    private long _length;
    private bool _failing;
    private bool _disposed;

    private long _droppedBytes;
    private long _droppedLines;

    // Guarded by _gate: what the current failure streak dropped, reported when it ends.
    private long _streakBytes;
    private long _streakLines;

    /// <summary>Opens or creates the file (and its folder) for appending.</summary>
    /// <exception cref="SupException">The file cannot be opened or created.</exception>
    public RotatingLogFile(LogFileOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.Path);
        ArgumentOutOfRangeException.ThrowIfNegative(options.Retain);
        _options = options;
        _time = time;
        Path = System.IO.Path.GetFullPath(options.Path);
        _rotated = new RotatedFileSet(Path, options.Retain, options.Compress, (ex, operation) => ReportError(operation, ex));
        _dated = options.Rotation == Config.LogRotation.None ? null
            : new DatedFileSet(Path, options.Retain, options.Compress, (ex, operation) => ReportError(operation, ex));
        try
        {
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
            _rotated.Recover();
            _dated?.Recover();
            _handle = Open();
            _length = RandomAccess.GetLength(_handle);
            _pages.Reset(_length);
            _period = PeriodOfExisting();
        }
        catch (UnsafeFileException ex)
        {
            // Someone else's file or a link at the path: the app still runs (one hostile link in
            // a shared folder must not keep every app of a file from starting), its output is
            // dropped and counted, and the reason is reported; a later write retries the open.
            _handle = null;
            _failing = true;
            RefusedAtOpen = ex;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new SupException(SupError.Io,
                $"Cannot open the log file '{Path}': {ex.Message} Make its folder writable, or point out_file/error_file elsewhere.", ex);
        }
    }

    /// <summary>
    /// Why the file was refused when opened (a symlink, not a regular file, another user's), or
    /// null. Writes are dropped and counted until it can be opened; <see cref="Failed"/> is not
    /// raised for this first refusal (no handler could be attached yet), so the owner reports it.
    /// </summary>
    public UnsafeFileException? RefusedAtOpen { get; }

    /// <summary>The live file's full path.</summary>
    public string Path { get; }

    /// <summary>Bytes in the live file.</summary>
    public long Length => Volatile.Read(ref _length);

    /// <summary>Bytes dropped because the file could not be written.</summary>
    public long DroppedBytes => Interlocked.Read(ref _droppedBytes);

    /// <summary>Lines (counted by their '\n') dropped because the file could not be written.</summary>
    public long DroppedLines => Interlocked.Read(ref _droppedLines);

    /// <summary>
    /// Raised on the writing thread when a write succeeds after a streak of dropped writes, with
    /// what the streak dropped. With <see cref="Failed"/> this makes one report per episode
    /// (disk full, then space again), not one per line. Exceptions from handlers are ignored.
    /// </summary>
    public event EventHandler<LogFileRecoveredEventArgs>? Recovered;

    /// <summary>
    /// Raised on the writing thread after each rotation, while writes wait: keep handlers short
    /// and do not write to this file from them.
    /// </summary>
    public event EventHandler<LogRotatedEventArgs>? Rotated;

    /// <summary>
    /// Raised when a write (first failure of a streak), a rotation or a compression fails; on the
    /// writing or compressing thread. Exceptions from handlers are ignored.
    /// </summary>
    public event EventHandler<LogFileErrorEventArgs>? Failed;

    /// <summary>
    /// Appends <paramref name="lines"/>: whole lines, each ending in '\n' (the last one may lack it
    /// only at the end of a stream). Rotates before a line that would not fit, so a line is never
    /// split across files; a single line longer than MaxSize is written whole, then rotated.
    /// </summary>
    /// <param name="ct">Cancels only the wait for other writers, never a write under way.</param>
    public ValueTask WriteAsync(ReadOnlyMemory<byte> lines, CancellationToken ct) => WriteCoreAsync(lines, -1, ct);

    /// <param name="pipeFd">-1, or the pipe <paramref name="lines"/> are still in: they are moved from there (see <see cref="MoveFromPipeAsync"/>).</param>
    private async ValueTask WriteCoreAsync(ReadOnlyMemory<byte> lines, int pipeFd, CancellationToken ct)
    {
        if (lines.IsEmpty)
        {
            return;
        }
        await _gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            RotateIfPeriodEnded();
            while (!lines.IsEmpty)
            {
                var piece = TakePieceRotatingIfNeeded(lines);
                if (pipeFd >= 0 && OperatingSystem.IsLinux())
                {
                    MoveToFile(piece, pipeFd);
                }
                else
                {
                    await WriteToFileAsync(piece).ConfigureAwait(false);
                }
                lines = lines[piece.Length..];
                RotateIfFull();
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Completes once every write started before it is in the OS (so readers see it). Writes are
    /// not buffered, so this only waits for writes under way.
    /// </summary>
    public async Task FlushAsync(CancellationToken ct)
    {
        await _gate.WaitAsync(ct).ConfigureAwait(false);
        _gate.Release();
    }

    /// <summary>
    /// Empties the log for <c>sup flush</c> while the app keeps writing: the live file is cut to
    /// zero in place (same file, so followers notice the shorter length and start over) and the
    /// rotated files are deleted, so no old line shows up in <c>sup logs</c> afterwards.
    /// </summary>
    /// <exception cref="SupException">The file cannot be truncated.</exception>
    public async Task TruncateAsync(CancellationToken ct)
    {
        await _gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _handle ??= TryOpen();
            if (_handle is not null)
            {
                RandomAccess.SetLength(_handle, 0);
            }
            _pages.Reset(0);
            Volatile.Write(ref _length, 0);
            _rotationRetryAt = 0;
            _rotated.DeleteAll();
            _dated?.DeleteAll();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new SupException(SupError.Io, $"Cannot empty the log file '{Path}': {ex.Message}", ex);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Closes the file once writes under way are done, then waits for pending compression.</summary>
    public async ValueTask DisposeAsync()
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_disposed)
            {
                return;
            }
            _disposed = true;
            _handle?.Dispose();
            _handle = null;
        }
        finally
        {
            _gate.Release();
        }
        await _rotated.WhenIdleAsync().ConfigureAwait(false);
        if (_dated is not null) await _dated.WhenIdleAsync().ConfigureAwait(false);
    }

    private async ValueTask WriteToFileAsync(ReadOnlyMemory<byte> piece)
    {
        _handle ??= TryOpen();
        if (_handle is null)
        {
            Drop(piece, null);
            return;
        }
        var end = -1L;
        try
        {
            // Follow the file's real end: someone may have emptied it (`: > file`, logrotate's
            // copytruncate) or appended to it; writing at a stale offset would leave a hole of zeros.
            end = RandomAccess.GetLength(_handle);
            if (end != _length)
            {
                _pages.Reset(end);
            }
            await _pages.AppendAsync(_handle, end, piece).ConfigureAwait(false);
            Volatile.Write(ref _length, end + piece.Length);
            if (_failing)
            {
                EndFailureStreak();
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A short write (disk full midway) is cut back, so the file holds whole lines only
            // and the dropped count is exact.
            var kept = end >= 0 && TryCutBack(_handle, end) ? end : TryGetLength(_handle);
            _pages.Reset(kept);
            Volatile.Write(ref _length, kept);
            Drop(piece, ex);
        }
    }

    private void Drop(ReadOnlyMemory<byte> piece, Exception? ex)
    {
        var lines = piece.Span.Count((byte)'\n');
        Interlocked.Add(ref _droppedBytes, piece.Length);
        Interlocked.Add(ref _droppedLines, lines);
        _streakBytes += piece.Length;
        _streakLines += lines;
        if (!_failing)
        {
            _failing = true;
            ReportError("write", ex ?? new IOException($"The log file '{Path}' cannot be opened."));
        }
    }

    // Never through a symlink nor into another user's file: in a world-writable folder anyone
    // could otherwise aim the daemon at any file, for appends and for `sup flush`'s truncation
    // (issue 14). Every open goes here: the first, re-opens after rotation, and flush's.
    private SafeFileHandle Open() => GuardedFile.OpenForWriting(Path);

    private SafeFileHandle? TryOpen()
    {
        try
        {
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
            var handle = Open();
            var length = RandomAccess.GetLength(handle);
            _pages.Reset(length);
            Volatile.Write(ref _length, length);
            return handle;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            if (!_failing)
            {
                _failing = true;
                ReportError("write", ex);
            }
            return null;
        }
    }

    private void EndFailureStreak()
    {
        _failing = false;
        var (bytes, lines) = (_streakBytes, _streakLines);
        _streakBytes = _streakLines = 0;
        if (bytes == 0)
        {
            return;
        }

        try
        {
            Recovered?.Invoke(this, new LogFileRecoveredEventArgs(Path, bytes, lines));
        }
        catch (Exception)
        {
            // A subscriber's bug must not stop the app's output from being captured.
        }
    }

    private static bool TryCutBack(SafeFileHandle handle, long length)
    {
        try
        {
            if (RandomAccess.GetLength(handle) > length)
            {
                RandomAccess.SetLength(handle, length);
            }
            return true;
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static long TryGetLength(SafeFileHandle handle)
    {
        try
        {
            return RandomAccess.GetLength(handle);
        }
        catch (IOException)
        {
            return 0;
        }
    }

    private void ReportError(string operation, Exception ex)
    {
        try
        {
            Failed?.Invoke(this, new LogFileErrorEventArgs(Path, operation, ex));
        }
        catch (Exception)
        {
            // A subscriber's bug must not stop the app's output from being captured.
        }
    }
}
