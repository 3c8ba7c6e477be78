using System.Buffers;
using System.Globalization;
using System.Text;

namespace Supervisor.Core.Rpc;

/// <summary>
/// Reads <c>Content-Length: N\r\n\r\n</c>-delimited frames (StreamJsonRpc's
/// HeaderDelimitedMessageHandler, the LSP base protocol) from a byte stream.
/// </summary>
/// <remarks>
/// Reading is lenient the way peers differ: header names are case-insensitive, values are
/// trimmed, unknown headers are ignored, and a Content-Type charset of <c>utf-8</c> or the
/// legacy <c>utf8</c> is accepted. Anything it cannot frame (no Content-Length, a bad value,
/// a frame over the cap, EOF inside a frame) throws <see cref="RpcFrameException"/>: after
/// that the stream cannot be resynchronised, so the caller drops the connection.
/// Not thread-safe: one reader per stream.
/// </remarks>
public sealed class FrameReader(Stream stream, int maxFrameBytes = FrameReader.DefaultMaxFrameBytes) : IDisposable
{
    public const int DefaultMaxFrameBytes = 16 * 1024 * 1024;

    /// <summary>A header block longer than this is not a header block.</summary>
    internal const int MaxHeaderBytes = 8 * 1024;

    private static ReadOnlySpan<byte> HeaderTerminator => "\r\n\r\n"u8;

    // Big enough for a header block and most small messages, so one socket read usually
    // yields whole frames. Bytes past the current frame stay here for the next call.
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
    private int _start;
    private int _end;

    /// <summary>
    /// Returns the next frame's body (a fresh array the caller owns), or null on a clean EOF
    /// between frames.
    /// </summary>
    public async ValueTask<ReadOnlyMemory<byte>?> ReadFrameAsync(CancellationToken ct)
    {
        ObjectDisposedException.ThrowIf(_buffer.Length == 0, this);

        int headerLength;
        int scanned = 0;
        while (true)
        {
            int found = _buffer.AsSpan(_start + scanned, _end - _start - scanned).IndexOf(HeaderTerminator);
            if (found >= 0)
            {
                headerLength = scanned + found;
                break;
            }

            // The terminator may straddle the next read: rescan its last three bytes.
            scanned = Math.Max(0, _end - _start - (HeaderTerminator.Length - 1));
            if (_end - _start >= MaxHeaderBytes)
            {
                throw new RpcFrameException($"The frame header is longer than {MaxHeaderBytes} bytes or lacks the blank line that ends it.");
            }

            if (await FillAsync(ct).ConfigureAwait(false) == 0)
            {
                if (_end == _start)
                {
                    return null;
                }

                throw new RpcFrameException("The connection closed in the middle of a frame header.");
            }
        }

        int contentLength = ParseHeaders(_buffer.AsSpan(_start, headerLength), maxFrameBytes);
        _start += headerLength + HeaderTerminator.Length;

        var body = new byte[contentLength];
        int buffered = Math.Min(contentLength, _end - _start);
        _buffer.AsSpan(_start, buffered).CopyTo(body);
        _start += buffered;
        if (_start == _end)
        {
            _start = _end = 0;
        }

        // The rest of a large body goes straight from the stream into its own array.
        for (int filled = buffered; filled < contentLength;)
        {
            int read = await stream.ReadAsync(body.AsMemory(filled), ct).ConfigureAwait(false);
            if (read == 0)
            {
                throw new RpcFrameException($"The connection closed after {filled} of the {contentLength} bytes the frame announced.");
            }

            filled += read;
        }

        return body;
    }

    public void Dispose()
    {
        byte[] buffer = _buffer;
        _buffer = [];
        if (buffer.Length != 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async ValueTask<int> FillAsync(CancellationToken ct)
    {
        if (_start > 0)
        {
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            _end -= _start;
            _start = 0;
        }

        int read = await stream.ReadAsync(_buffer.AsMemory(_end), ct).ConfigureAwait(false);
        _end += read;
        return read;
    }

    /// <summary>Parses the header lines (without the final blank line) and returns Content-Length.</summary>
    internal static int ParseHeaders(ReadOnlySpan<byte> block, int maxFrameBytes)
    {
        int? contentLength = null;
        foreach (Range lineRange in block.Split("\r\n"u8))
        {
            ReadOnlySpan<byte> line = block[lineRange];
            if (line.IsEmpty)
            {
                continue; // a stray CRLF between frames
            }

            int colon = line.IndexOf((byte)':');
            if (colon <= 0)
            {
                throw new RpcFrameException($"The frame header line '{Printable(line)}' is not of the form 'Name: value'.");
            }

            ReadOnlySpan<byte> name = line[..colon].Trim(" \t"u8);
            ReadOnlySpan<byte> value = line[(colon + 1)..].Trim(" \t"u8);
            if (Ascii.EqualsIgnoreCase(name, "Content-Length"u8))
            {
                if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int length))
                {
                    throw new RpcFrameException($"The Content-Length '{Printable(value)}' is not a whole number of bytes.");
                }

                if (contentLength is not null && contentLength != length)
                {
                    throw new RpcFrameException("The frame header has two different Content-Length values.");
                }

                if (length > maxFrameBytes)
                {
                    throw new RpcFrameException($"The frame of {length} bytes is larger than the {maxFrameBytes} bytes allowed.");
                }

                contentLength = length;
            }
            else if (Ascii.EqualsIgnoreCase(name, "Content-Type"u8))
            {
                CheckCharset(value);
            }
        }

        return contentLength ?? throw new RpcFrameException("The frame header has no Content-Length.");
    }

    private static void CheckCharset(ReadOnlySpan<byte> contentType)
    {
        foreach (Range partRange in contentType.Split((byte)';'))
        {
            ReadOnlySpan<byte> part = contentType[partRange].Trim(" \t"u8);
            if (part.Length <= 8 || !Ascii.EqualsIgnoreCase(part[..8], "charset="u8))
            {
                continue;
            }

            ReadOnlySpan<byte> charset = part[8..].Trim("\""u8);
            if (!Ascii.EqualsIgnoreCase(charset, "utf-8"u8) && !Ascii.EqualsIgnoreCase(charset, "utf8"u8))
            {
                throw new RpcFrameException($"The charset '{Printable(charset)}' is not supported; frames must be UTF-8.");
            }
        }
    }

    private static string Printable(ReadOnlySpan<byte> bytes)
    {
        const int Limit = 80;
        var text = Encoding.ASCII.GetString(bytes[..Math.Min(bytes.Length, Limit)]);
        return bytes.Length > Limit ? text + "..." : text;
    }
}
