using System.Buffers;
using System.Buffers.Text;

namespace Supervisor.Core.Rpc;

/// <summary>Writes one <c>Content-Length: N\r\n\r\n</c> frame (no Content-Type, as StreamJsonRpc does).</summary>
public static class FrameWriter
{
    private static ReadOnlySpan<byte> Prefix => "Content-Length: "u8;
    private static ReadOnlySpan<byte> Terminator => "\r\n\r\n"u8;

    /// <summary>
    /// Writes header and body with ONE write call, so writers serialised by a lock never
    /// interleave and a socket peer rarely sees the header without its body.
    /// </summary>
    public static async ValueTask WriteFrameAsync(Stream stream, ReadOnlyMemory<byte> json, CancellationToken ct)
    {
        byte[] frame = ArrayPool<byte>.Shared.Rent(Prefix.Length + 10 + Terminator.Length + json.Length);
        try
        {
            int length = Encode(frame, json.Span);
            await stream.WriteAsync(frame.AsMemory(0, length), ct).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(frame);
        }
    }

    /// <summary>The whole frame (header and body) as one array, for a blocking send.</summary>
    public static byte[] Frame(ReadOnlySpan<byte> json)
    {
        var frame = new byte[Prefix.Length + 10 + Terminator.Length + json.Length];
        return frame[..Encode(frame, json)];
    }

    private static int Encode(Span<byte> frame, ReadOnlySpan<byte> json)
    {
        Prefix.CopyTo(frame);
        int position = Prefix.Length;
        Utf8Formatter.TryFormat(json.Length, frame[position..], out int digits);
        position += digits;
        Terminator.CopyTo(frame[position..]);
        position += Terminator.Length;
        json.CopyTo(frame[position..]);
        return position + json.Length;
    }
}
