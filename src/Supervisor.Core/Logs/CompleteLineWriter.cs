using System.Buffers;

namespace Supervisor.Core.Logs;

/// <summary>
/// Hands runs of complete lines from a pump to the log file, adding the date prefix to each
/// line when one is configured, then shows each line to the observer.
/// </summary>
internal sealed class CompleteLineWriter(RotatingLogFile sink, LinePrefixer? prefixer, Action<ReadOnlyMemory<byte>>? observer)
{
    private const int OutputBufferSize = 256 * 1024;

    /// <param name="lines">Whole lines, each ending in '\n'.</param>
    public async ValueTask WriteAsync(ReadOnlyMemory<byte> lines)
    {
        // Never cancelled: lines already read from the pipe are written, or they would be lost.
        if (prefixer is null)
        {
            await sink.WriteAsync(lines, CancellationToken.None).ConfigureAwait(false);
        }
        else
        {
            await WritePrefixedAsync(lines, prefixer.Current()).ConfigureAwait(false);
        }
        if (observer is not null)
        {
            ShowEachLine(lines, observer);
        }
    }

    /// <summary>Shows lines written by someone else (moved into the file from the pipe) to the observer.</summary>
    public void Show(ReadOnlyMemory<byte> lines)
    {
        if (observer is not null)
        {
            ShowEachLine(lines, observer);
        }
    }

    private async ValueTask WritePrefixedAsync(ReadOnlyMemory<byte> lines, ReadOnlyMemory<byte> prefix)
    {
        // Rented per call, not kept: an idle app holds no output buffer.
        var output = ArrayPool<byte>.Shared.Rent(OutputBufferSize);
        try
        {
            var used = 0;
            while (!lines.IsEmpty)
            {
                var lineLength = LengthOfFirstLine(lines.Span);
                var needed = prefix.Length + lineLength;
                if (used + needed > output.Length)
                {
                    if (used > 0)
                    {
                        await sink.WriteAsync(output.AsMemory(0, used), CancellationToken.None).ConfigureAwait(false);
                        used = 0;
                    }
                    if (needed > output.Length)
                    {
                        ArrayPool<byte>.Shared.Return(output);
                        output = ArrayPool<byte>.Shared.Rent(needed);
                    }
                }
                prefix.Span.CopyTo(output.AsSpan(used));
                used += prefix.Length;
                lines.Span[..lineLength].CopyTo(output.AsSpan(used));
                used += lineLength;
                lines = lines[lineLength..];
            }
            if (used > 0)
            {
                await sink.WriteAsync(output.AsMemory(0, used), CancellationToken.None).ConfigureAwait(false);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(output);
        }
    }

    private static void ShowEachLine(ReadOnlyMemory<byte> lines, Action<ReadOnlyMemory<byte>> observer)
    {
        while (!lines.IsEmpty)
        {
            var lineLength = LengthOfFirstLine(lines.Span);
            var line = lines[..lineLength];
            lines = lines[lineLength..];
            if (line.Span is [.., (byte)'\n'])
            {
                line = line[..^1];
            }
            if (line.Span is [.., (byte)'\r'])
            {
                line = line[..^1];
            }
            try
            {
                observer(line);
            }
            catch (Exception)
            {
                // A subscriber's bug must not stop the app's output from reaching its file.
            }
        }
    }

    private static int LengthOfFirstLine(ReadOnlySpan<byte> lines)
    {
        var newline = lines.IndexOf((byte)'\n');
        return newline < 0 ? lines.Length : newline + 1;
    }
}
