using System.Buffers;
using System.IO.Pipes;
using Supervisor.Core.Platform;

namespace Supervisor.Core.Logs;

/// <summary>
/// Copies one output stream of an app (its stdout or stderr pipe) into a log file, whole lines
/// at a time, until the stream ends.
/// </summary>
/// <remarks>
/// Each pipe read (up to the buffer size; a Linux pipe holds 64 KiB, 1 MiB once a busy app got a
/// larger pipe from <see cref="PipeCapacity"/>) becomes one file write of
/// the complete lines it finished, straight from the read buffer: no per-line work and no text
/// decoding unless a date prefix or an observer asks for lines. The unfinished last line waits
/// in the buffer (which grows for it) until its newline arrives. A line longer than
/// <see cref="MaxLineLength"/> is written in pieces of that size, each ended with '\n', so a
/// merged log never gets another stream's line inside it; shorter lines are never split.
/// </remarks>
public static class OutputPump
{
    /// <summary>
    /// Lines up to this many bytes (1 MiB, without the newline) are kept whole; longer ones are
    /// written as pieces of exactly this size, each ended with '\n', the rest as the last piece.
    /// </summary>
    public const int MaxLineLength = 1024 * 1024;

    internal const int InitialBufferSize = 128 * 1024;

    private const int MaxReadBufferSize = 1024 * 1024;

    private const int YieldEveryBytes = 4 * 1024 * 1024;

    // A read smaller than this (because a long unfinished line fills the buffer) grows the buffer.
    private const int MinReadSize = 16 * 1024;

    // A read this large means the app fills its pipe faster than the daemon is woken to drain it:
    // a larger pipe then saves most of the wake-ups (PipeCapacity).
    private const int BusyReadSize = 32 * 1024;

    /// <summary>
    /// Reads <paramref name="source"/> to its end and writes its lines to <paramref name="sink"/>.
    /// The stream may outlive the app (a grandchild holding the pipe), so this ends at end of
    /// stream, not at exit. A last line without a newline is written with one added. Dispose
    /// <paramref name="sink"/> only after this has finished.
    /// </summary>
    /// <param name="prefixer">Adds a date prefix to every line; null writes the bytes unchanged.</param>
    /// <param name="lineObserver">
    /// Sees each complete line after it is written, without prefix and without its "\n" or "\r\n"
    /// (for live following). The memory is only valid during the call; it must not block, and
    /// its exceptions are ignored. Null costs nothing.
    /// </param>
    /// <param name="ct">Stops reading; lines already read, the unfinished one included, are still written.</param>
    public static async Task PumpAsync(Stream source, RotatingLogFile sink, LinePrefixer? prefixer,
        Action<ReadOnlyMemory<byte>>? lineObserver, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(sink);
        var writer = new CompleteLineWriter(sink, prefixer, lineObserver);
        PipeCapacity.Lease? largePipe = null;
        var triedLargePipe = source is not PipeStream;
        var buffer = ArrayPool<byte>.Shared.Rent(InitialBufferSize);
        // buffer[0..pending) is the start of a line whose newline has not arrived yet.
        var pending = 0;
        var sinceYield = 0;
        try
        {
            while (true)
            {
                while (FirstLineIsOverlong(buffer, pending))
                {
                    pending = await WriteFirstPieceAsync(writer, buffer, pending).ConfigureAwait(false);
                }
                if (buffer.Length - 1 - pending < MinReadSize)
                {
                    buffer = Resize(buffer, pending, buffer.Length * 2);
                }

                // One byte kept free for the '\n' added to a last line at the end of the stream.
                var room = buffer.Length - 1 - pending;
                int read;
                try
                {
                    read = await source.ReadAsync(buffer.AsMemory(pending, room), ct).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is OperationCanceledException or IOException or ObjectDisposedException)
                {
                    await WriteUnfinishedLineAsync(writer, buffer, pending).ConfigureAwait(false);
                    throw;
                }
                if (read == 0)
                {
                    await WriteUnfinishedLineAsync(writer, buffer, pending).ConfigureAwait(false);
                    return;
                }
                sinceYield += read;
                if (sinceYield >= YieldEveryBytes)
                {
                    // An app that writes without pause makes every read complete at once, and this
                    // loop would keep its thread-pool thread forever; let other apps and RPC run.
                    sinceYield = 0;
                    await Task.Yield();
                }
                if (!triedLargePipe && read >= BusyReadSize)
                {
                    triedLargePipe = true;
                    largePipe = PipeCapacity.TryGrow(((PipeStream)source).SafePipeHandle);
                }
                if (largePipe is not null && read >= BusyReadSize && buffer.Length < PipeCapacity.LargeSize)
                {
                    // Drain the large pipe in one read; given back once the app writes little again.
                    buffer = Resize(buffer, pending + read, PipeCapacity.LargeSize);
                }

                // buffer[0..scanFrom) is known to hold no newline.
                var scanFrom = pending;
                pending += read;
                while (FirstLineIsOverlong(buffer, pending))
                {
                    pending = await WriteFirstPieceAsync(writer, buffer, pending).ConfigureAwait(false);
                    scanFrom = Math.Max(0, scanFrom - MaxLineLength);
                }
                var lastNewline = buffer.AsSpan(scanFrom, pending - scanFrom).LastIndexOf((byte)'\n');
                if (lastNewline < 0)
                {
                    continue;
                }
                var complete = scanFrom + lastNewline + 1;
                await writer.WriteAsync(buffer.AsMemory(0, complete)).ConfigureAwait(false);
                pending -= complete;
                buffer.AsSpan(complete, pending).CopyTo(buffer);
                if (buffer.Length > InitialBufferSize && read < BusyReadSize && pending <= InitialBufferSize / 2)
                {
                    buffer = Resize(buffer, pending, InitialBufferSize);
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            largePipe?.Dispose();
        }
    }

    /// <summary>Whether the first line in the buffer is already longer than the limit (no newline within it).</summary>
    private static bool FirstLineIsOverlong(byte[] buffer, int pending) =>
        pending > MaxLineLength && buffer.AsSpan(0, MaxLineLength + 1).IndexOf((byte)'\n') < 0;

    /// <summary>Writes the first <see cref="MaxLineLength"/> bytes as a line of their own; returns what is left pending.</summary>
    private static async ValueTask<int> WriteFirstPieceAsync(CompleteLineWriter writer, byte[] buffer, int pending)
    {
        // Borrow the byte after the piece for its '\n' instead of copying a megabyte.
        var borrowed = buffer[MaxLineLength];
        buffer[MaxLineLength] = (byte)'\n';
        try
        {
            await writer.WriteAsync(buffer.AsMemory(0, MaxLineLength + 1)).ConfigureAwait(false);
        }
        finally
        {
            buffer[MaxLineLength] = borrowed;
        }
        pending -= MaxLineLength;
        buffer.AsSpan(MaxLineLength, pending).CopyTo(buffer);
        return pending;
    }

    private static async ValueTask WriteUnfinishedLineAsync(CompleteLineWriter writer, byte[] buffer, int pending)
    {
        if (pending == 0)
        {
            return;
        }
        buffer[pending] = (byte)'\n';
        await writer.WriteAsync(buffer.AsMemory(0, pending + 1)).ConfigureAwait(false);
    }

    private static byte[] Resize(byte[] buffer, int pending, int size)
    {
        var resized = ArrayPool<byte>.Shared.Rent(size);
        buffer.AsSpan(0, pending).CopyTo(resized);
        ArrayPool<byte>.Shared.Return(buffer);
        return resized;
    }
}
