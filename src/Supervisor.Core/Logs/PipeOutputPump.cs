using System.Buffers;
using System.Runtime.Versioning;
using Microsoft.Win32.SafeHandles;
using Supervisor.Core.Platform;

namespace Supervisor.Core.Logs;

/// <summary>
/// <see cref="OutputPump"/> for an app's own pipe on Linux: the same lines in the same file, but
/// output leaves the pipe only once it is in the file, so a daemon killed at any moment (SIGKILL,
/// OOM) loses none of it: what it had not yet written is still in the pipe, whose other read end
/// the keeper holds for the next daemon (issue 13).
/// </summary>
/// <remarks>
/// Each round peeks at what the pipe holds (tee(2), see <see cref="PipePeek"/>), then takes out
/// exactly the complete lines: moved into the file by splice(2) when no date prefix is wanted (in
/// the file or in the pipe, never both), else written with their prefix and then discarded from
/// the pipe (a kill between the two repeats that one write's lines in the next daemon). An
/// unfinished last line stays in the pipe, and the pump sleeps until the app writes again
/// (<see cref="PipeWatcher"/>: the pipe stays readable, so poll(2) cannot wait for that). A line
/// that fills the pipe cannot wait there: the pipe is grown to 1 MiB if it can be, then the line is
/// written in pieces as <see cref="OutputPump"/> does (of <see cref="OutputPump.MaxLineLength"/>,
/// or of the pipe's size when it cannot grow). A read costs one tee, one read and one splice where
/// <see cref="OutputPump"/> costs one read and one write; the bytes are copied as often.
/// </remarks>
[SupportedOSPlatform("linux")]
public static class PipeOutputPump
{
    private const int MinPeek = 64 * 1024;

    private const int YieldEveryBytes = 4 * 1024 * 1024;

    // A peek this large means the app fills its pipe faster than we drain it (see OutputPump).
    private const int BusyReadSize = 32 * 1024;

    /// <summary>
    /// Pumps <paramref name="source"/> into <paramref name="sink"/> until end of stream (every
    /// writer closed it and it is empty). Dispose the handle only after this has finished.
    /// </summary>
    /// <param name="ct">Stops pumping; what was not written stays in the pipe.</param>
    public static async Task PumpAsync(SafePipeHandle source, RotatingLogFile sink, LinePrefixer? prefixer,
        Action<ReadOnlyMemory<byte>>? lineObserver, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(sink);
        var added = false;
        source.DangerousAddRef(ref added);
        try
        {
            var fd = (int)source.DangerousGetHandle();
            using var waiter = PipeWatcher.Shared.Watch(fd);
            await PumpAsync(fd, waiter, sink, prefixer, lineObserver, ct).ConfigureAwait(false);
        }
        finally
        {
            if (added) source.DangerousRelease();
        }
    }

    private static async Task PumpAsync(int fd, PipeWatcher.Waiter waiter, RotatingLogFile sink, LinePrefixer? prefixer,
        Action<ReadOnlyMemory<byte>>? lineObserver, CancellationToken ct)
    {
        var writer = new CompleteLineWriter(sink, prefixer, lineObserver);
        PipeCapacity.Lease? largePipe = null;
        var triedLargePipe = false;
        var grewForLongLine = false;
        // The last round cut a long line into a piece and ended it with '\n': a '\n' that follows
        // at once is that line's own end, already written.
        var afterPiece = false;
        // Every writer had closed the pipe before the last peek: it saw all there will ever be.
        var final = false;
        // held[0..heldLength): the start of a line too long to wait in the pipe, taken out of it.
        var held = Array.Empty<byte>();
        var heldLength = 0;
        var sinceYield = 0;
        // Set where the pipe holds nothing to do yet: the wait happens at the top of the next
        // round, after the buffer went back to the pool. An idle app is the usual case, and a
        // 64 KiB buffer held by each of its two pumps while they wait was 128 KiB of daemon RSS
        // per app (docs/benchmarks.md). The Reset before the peek still comes before the wait, so
        // output that arrives in between is not missed.
        var mustWait = false;
        try
        {
            while (true)
            {
                ct.ThrowIfCancellationRequested();
                if (mustWait)
                {
                    mustWait = false;
                    await waiter.WaitAsync(ct).ConfigureAwait(false);
                }
                waiter.Reset();
                var room = Math.Min(Math.Max(MinPeek, PipePeek.Available(fd)), PipeCapacity.LargeSize);
                var buffer = ArrayPool<byte>.Shared.Rent(heldLength + room);
                try
                {
                    held.AsSpan(0, heldLength).CopyTo(buffer);
                    var peeked = PipePeek.Peek(fd, buffer.AsSpan(heldLength, room), out var window);
                    if (peeked == 0)
                    {
                        if (heldLength > 0)
                        {
                            await WriteWithNewlineAsync(writer, buffer, heldLength).ConfigureAwait(false);
                        }
                        return;
                    }
                    if (peeked < 0)
                    {
                        mustWait = true;
                        continue;
                    }
                    var data = buffer.AsMemory(heldLength, peeked);
                    if (afterPiece)
                    {
                        afterPiece = false;
                        if (data.Span[0] == (byte)'\n')
                        {
                            PipePeek.Consume(fd, 1);
                            continue;
                        }
                    }

                    sinceYield += peeked;
                    if (!triedLargePipe && peeked >= BusyReadSize)
                    {
                        triedLargePipe = true;
                        largePipe = TryGrow(fd);
                    }

                    if (heldLength > 0)
                    {
                        var firstNewline = data.Span.IndexOf((byte)'\n');
                        if (heldLength + (firstNewline < 0 ? peeked : firstNewline) > OutputPump.MaxLineLength)
                        {
                            // The held line passes the limit: its next piece is cut here.
                            var take = OutputPump.MaxLineLength - heldLength;
                            await WriteWithNewlineAsync(writer, buffer, OutputPump.MaxLineLength).ConfigureAwait(false);
                            PipePeek.Consume(fd, take);
                            heldLength = 0;
                            held = [];
                            afterPiece = true;
                            continue;
                        }
                    }

                    var complete = data.Span.LastIndexOf((byte)'\n') + 1;
                    if (complete > 0 && heldLength == 0)
                    {
                        await MoveAsync(writer, sink, prefixer, fd, data[..complete]).ConfigureAwait(false);
                    }
                    else if (complete > 0)
                    {
                        // The end of a held line: written from memory with it, then taken out.
                        await writer.WriteAsync(buffer.AsMemory(0, heldLength + complete)).ConfigureAwait(false);
                        PipePeek.Consume(fd, complete);
                        heldLength = 0;
                    }
                    else if (peeked == window && window == room && PipePeek.Available(fd) > peeked)
                    {
                        // The pipe filled up since it was measured: look again with a larger buffer.
                        continue;
                    }
                    else if (final)
                    {
                        // The app's last line, without a newline: written with one added.
                        await WriteWithNewlineAsync(writer, buffer, heldLength + peeked).ConfigureAwait(false);
                        PipePeek.Consume(fd, peeked);
                        heldLength = 0;
                    }
                    else if (PipePeek.WritersGone(fd))
                    {
                        // Every writer is gone: one more look sees all the pipe will ever hold.
                        final = true;
                        continue;
                    }
                    else if (peeked >= MayBeFull(fd) || (peeked == window && window < room))
                    {
                        // So long a line may fill the pipe, and the app would wait for room while we
                        // wait for the line's end: grow the pipe once, else take the line out to hold it.
                        if (!grewForLongLine)
                        {
                            grewForLongLine = true;
                            largePipe ??= TryGrow(fd);
                            if (peeked < MayBeFull(fd)) continue;
                        }
                        if (held.Length < heldLength + peeked)
                        {
                            var larger = new byte[Math.Max(heldLength + peeked, held.Length * 2)];
                            buffer.AsSpan(0, heldLength + peeked).CopyTo(larger);
                            held = larger;
                        }
                        else
                        {
                            data.Span.CopyTo(held.AsSpan(heldLength));
                        }
                        PipePeek.Consume(fd, peeked);
                        heldLength += peeked;
                        while (heldLength >= OutputPump.MaxLineLength)
                        {
                            await WriteWithNewlineAsync(writer, held, OutputPump.MaxLineLength).ConfigureAwait(false);
                            heldLength -= OutputPump.MaxLineLength;
                            held.AsSpan(OutputPump.MaxLineLength, heldLength).CopyTo(held);
                            afterPiece = heldLength == 0;
                        }
                        if (heldLength == 0) held = [];
                    }
                    else
                    {
                        // An unfinished line: it stays in the pipe until the app writes more.
                        mustWait = true;
                        continue;
                    }
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }

                if (sinceYield >= YieldEveryBytes)
                {
                    // As in OutputPump: an app that writes without pause must not keep this thread.
                    sinceYield = 0;
                    await Task.Yield();
                }
            }
        }
        finally
        {
            largePipe?.Dispose();
        }
    }

    /// <summary>
    /// Bytes past which a pipe may be full: the kernel fills pipes by pages and a write that does
    /// not fit the last page's rest starts a new page, so every two pages hold more than one page
    /// of data (less one page for the partly read first one).
    /// </summary>
    private static int MayBeFull(int fd) => Math.Max(1, PipePeek.Capacity(fd) / 2 - 4096);

    private static async ValueTask MoveAsync(CompleteLineWriter writer, RotatingLogFile sink, LinePrefixer? prefixer, int fd, ReadOnlyMemory<byte> lines)
    {
        if (prefixer is null)
        {
            await sink.MoveFromPipeAsync(lines, fd, CancellationToken.None).ConfigureAwait(false);
            writer.Show(lines);
        }
        else
        {
            await writer.WriteAsync(lines).ConfigureAwait(false);
            PipePeek.Consume(fd, lines.Length);
        }
    }

    /// <summary>Writes the first <paramref name="length"/> bytes of <paramref name="buffer"/> as a line of their own.</summary>
    private static async ValueTask WriteWithNewlineAsync(CompleteLineWriter writer, byte[] buffer, int length)
    {
        var piece = new byte[length + 1];
        buffer.AsSpan(0, length).CopyTo(piece);
        piece[length] = (byte)'\n';
        await writer.WriteAsync(piece).ConfigureAwait(false);
    }

    private static PipeCapacity.Lease? TryGrow(int fd)
    {
        using var handle = new SafePipeHandle(fd, ownsHandle: false);
        return PipeCapacity.TryGrow(handle);
    }
}
