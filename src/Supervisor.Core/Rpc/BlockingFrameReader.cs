using System.Buffers.Text;
using System.Runtime.Versioning;
using Supervisor.Core.Platform;

namespace Supervisor.Core.Rpc;

/// <summary>
/// Reads the frames <see cref="FrameWriter"/> writes from a <see cref="BlockingUnixSocket"/>, one
/// after another: bytes read past the end of one frame are kept for the next (a notification
/// and the response often arrive in one read).
/// </summary>
[UnsupportedOSPlatform("windows")]
internal sealed class BlockingFrameReader(BlockingUnixSocket socket)
{
    private static ReadOnlySpan<byte> HeaderTerminator => "\r\n\r\n"u8;
    private static ReadOnlySpan<byte> LengthHeader => "Content-Length: "u8;

    private byte[] _buffer = new byte[64 * 1024];
    private int _start;
    private int _end;

    /// <summary>
    /// The next frame's body; null at end of stream, or when the header is not exactly the one
    /// FrameWriter writes or announces more than <see cref="FrameReader.DefaultMaxFrameBytes"/>.
    /// </summary>
    public byte[]? Read()
    {
        while (true)
        {
            var data = _buffer.AsSpan(_start, _end - _start);
            var headerEnd = data.IndexOf(HeaderTerminator);
            if (headerEnd >= 0)
            {
                var header = data[..headerEnd];
                if (!header.StartsWith(LengthHeader)
                    || !Utf8Parser.TryParse(header[LengthHeader.Length..], out int length, out var digits)
                    || digits != header.Length - LengthHeader.Length
                    || length is < 0 or > FrameReader.DefaultMaxFrameBytes)
                {
                    return null;
                }
                var frameBytes = headerEnd + HeaderTerminator.Length + length;
                if (data.Length >= frameBytes)
                {
                    var body = data.Slice(headerEnd + HeaderTerminator.Length, length).ToArray();
                    _start += frameBytes;
                    return body;
                }
                MakeRoom(frameBytes);
            }
            else if (data.Length >= FrameReader.MaxHeaderBytes)
            {
                return null;
            }
            else
            {
                MakeRoom(data.Length + 1);
            }

            var read = socket.Receive(_buffer.AsSpan(_end));
            if (read == 0)
            {
                return null;
            }
            _end += read;
        }
    }

    /// <summary>Moves the unread bytes to the front, and grows the buffer to hold <paramref name="bytes"/> of them.</summary>
    private void MakeRoom(int bytes)
    {
        if (_start > 0)
        {
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            _end -= _start;
            _start = 0;
        }
        if (bytes > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(bytes, _buffer.Length * 2));
        }
    }
}
