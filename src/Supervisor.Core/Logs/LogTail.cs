using System.Buffers;
using System.IO.Compression;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace Supervisor.Core.Logs;

/// <summary>
/// The last lines of log files (<c>sup logs --lines N</c>), read backwards from the end in
/// blocks, so a large file costs only the blocks that hold those lines.
/// </summary>
public static class LogTail
{
    private const int BlockSize = 64 * 1024;

    /// <summary>
    /// The last <paramref name="count"/> lines of the file, oldest first, without line endings.
    /// A missing file has no lines. A last line without '\n' counts as a line.
    /// </summary>
    public static IReadOnlyList<string> ReadLastLines(string path, int count) => ReadLastLines(path, count, out _);

    /// <summary>
    /// As <see cref="ReadLastLines(string, int)"/>, and gives the offset where the lines read end,
    /// to start following (<see cref="LogFollower.FollowAsync(long, CancellationToken)"/>) without a gap or a repeat.
    /// </summary>
    public static IReadOnlyList<string> ReadLastLines(string path, int count, out long endOffset)
    {
        endOffset = 0;
        using var handle = TryOpen(path);
        if (handle is null)
        {
            return [];
        }
        var end = RandomAccess.GetLength(handle);
        endOffset = end;
        if (count <= 0)
        {
            return [];
        }
        var start = StartOfLastLines(handle, end, count);
        return SplitLines(handle, start, end);
    }

    /// <summary>
    /// The last <paramref name="count"/> lines across a log and its rotated files, given oldest
    /// first (as <see cref="LogPaths.ExistingOldestFirst"/> lists them). Gzipped files are
    /// decompressed as a stream, keeping only the lines still needed.
    /// </summary>
    public static IReadOnlyList<string> ReadLastLines(IEnumerable<string> pathsOldestFirst, int count)
    {
        ArgumentNullException.ThrowIfNull(pathsOldestFirst);
        var newestFirst = pathsOldestFirst.Reverse();
        var chunks = new List<IReadOnlyList<string>>();
        var remaining = count;
        foreach (var path in newestFirst)
        {
            if (remaining <= 0)
            {
                break;
            }
            var lines = path.EndsWith(".gz", StringComparison.Ordinal)
                ? ReadLastLinesOfGzip(path, remaining)
                : ReadLastLines(path, remaining);
            chunks.Add(lines);
            remaining -= lines.Count;
        }
        chunks.Reverse();
        return chunks.SelectMany(c => c).ToList();
    }

    private static SafeFileHandle? TryOpen(string path)
    {
        try
        {
            return File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    /// <summary>The offset just after the newline that precedes the last <paramref name="count"/> lines (0 if the file has fewer).</summary>
    private static long StartOfLastLines(SafeFileHandle handle, long end, int count)
    {
        var block = ArrayPool<byte>.Shared.Rent(BlockSize);
        try
        {
            var newlinesToSkip = count;
            var position = end;
            var first = true;
            while (position > 0)
            {
                var length = (int)Math.Min(BlockSize, position);
                position -= length;
                var span = block.AsSpan(0, ReadExactly(handle, block.AsSpan(0, length), position));
                if (first)
                {
                    first = false;
                    // The final line's own terminator does not start a line.
                    if (span is [.., (byte)'\n'])
                    {
                        span = span[..^1];
                    }
                }
                int newline;
                while ((newline = span.LastIndexOf((byte)'\n')) >= 0)
                {
                    if (--newlinesToSkip == 0)
                    {
                        return position + newline + 1;
                    }
                    span = span[..newline];
                }
            }
            return 0;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(block);
        }
    }

    private static List<string> SplitLines(SafeFileHandle handle, long start, long end)
    {
        var bytes = new byte[end - start];
        var read = ReadExactly(handle, bytes, start);
        var lines = new List<string>();
        Utf8Lines.AddAll(bytes.AsSpan(0, read), lines.Add);
        return lines;
    }

    private static int ReadExactly(SafeFileHandle handle, Span<byte> buffer, long offset)
    {
        var total = 0;
        while (total < buffer.Length)
        {
            var read = RandomAccess.Read(handle, buffer[total..], offset + total);
            if (read == 0)
            {
                break; // Truncated meanwhile.
            }
            total += read;
        }
        return total;
    }

    private static List<string> ReadLastLinesOfGzip(string path, int count)
    {
        var last = new Queue<string>(Math.Min(count, 4096));
        void Keep(string line)
        {
            if (last.Count == count)
            {
                last.Dequeue();
            }
            last.Enqueue(line);
        }

        var buffer = ArrayPool<byte>.Shared.Rent(BlockSize * 2);
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1);
            using var gzip = new GZipStream(file, CompressionMode.Decompress);
            var pending = 0;
            int read;
            while ((read = gzip.Read(buffer, pending, buffer.Length - pending)) > 0)
            {
                pending += read;
                var complete = buffer.AsSpan(0, pending).LastIndexOf((byte)'\n') + 1;
                if (complete == 0 && pending == buffer.Length)
                {
                    // A line longer than the buffer: keep growing it until its newline.
                    var grown = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    buffer.AsSpan(0, pending).CopyTo(grown);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = grown;
                    continue;
                }
                Utf8Lines.AddAll(buffer.AsSpan(0, complete), Keep);
                pending -= complete;
                buffer.AsSpan(complete, pending).CopyTo(buffer);
            }
            Utf8Lines.AddAll(buffer.AsSpan(0, pending), Keep);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException or InvalidDataException)
        {
            // Deleted by rotation meanwhile, or damaged: show what is left.
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        return [.. last];
    }
}
