using System.Text;
using Supervisor.Core.Platform;

namespace Supervisor.Core.Rpc;

/// <summary>
/// One request without parameters on a fresh connection, done with blocking calls: one frame
/// out, one frame in, and the result's JSON exactly as the daemon wrote it.
/// </summary>
/// <remarks>
/// For the CLI's read-only fast path (`sup ls --json`, `sup ping`), which scripts and monitors
/// call in loops: no <see cref="RpcConnection"/> read loop, no thread pool, no socket engine
/// (<see cref="BlockingUnixSocket"/>), no JSON library, so such a call costs the runtime's start-up
/// and little more (docs/benchmarks.md). Whatever it cannot answer plainly it leaves to the full
/// client by returning null, so users see the same output and the same errors either way.
/// </remarks>
public static class RpcQuickCall
{
    private static ReadOnlySpan<byte> ResultPrefix => "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":"u8;

    /// <returns>
    /// The raw JSON of the reply's <c>result</c>; null when the platform is not supported, the
    /// daemon is not there or does not answer within <paramref name="timeout"/>, answers with an
    /// error or anything unexpected, or runs as another user.
    /// </returns>
    public static byte[]? TryInvoke(string socketPath, string method, TimeSpan timeout)
    {
        var request = Request(method);
        if (OperatingSystem.IsWindows() || !BlockingUnixSocket.IsSupported)
        {
            return null;
        }

        try
        {
            using var socket = BlockingUnixSocket.TryConnect(socketPath, timeout);
            if (socket is null
                || (socket.PeerUserId() is { } uid && uid != Libc.GetEffectiveUid()))
            {
                return null;
            }

            socket.SendAll(request);
            return new BlockingFrameReader(socket).Read() is { } body ? ResultOf(body) : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static byte[] Request(string method)
    {
        // Method names are plain identifiers: nothing to escape, no JSON writer to load.
        if (method.Length == 0 || method.AsSpan().ContainsAnyExceptInRange(' ', '~') || method.AsSpan().ContainsAny('"', '\\'))
        {
            throw new ArgumentException($"'{method}' is not a plain method name.", nameof(method));
        }
        var json = Encoding.ASCII.GetBytes($$"""{"jsonrpc":"2.0","id":1,"method":"{{method}}"}""");
        return [.. Encoding.ASCII.GetBytes("Content-Length: " + json.Length.ToString(System.Globalization.CultureInfo.InvariantCulture) + "\r\n\r\n"), .. json];
    }

    /// <summary>
    /// The result inside the envelope <see cref="EnvelopeWriter"/> writes for request id 1, when
    /// it is one whole object or array; null for anything else (an error reply, another key order
    /// or spacing), which the full client then handles. Checked by bracket matching rather than by
    /// a JSON reader: loading System.Text.Json measured at about 9 ms of CPU per call.
    /// </summary>
    internal static byte[]? ResultOf(ReadOnlySpan<byte> body)
    {
        if (!body.StartsWith(ResultPrefix) || body.IsEmpty || body[^1] != (byte)'}')
        {
            return null;
        }
        var value = body[ResultPrefix.Length..^1];
        return IsOneCompoundValue(value) ? value.ToArray() : null;
    }

    /// <summary>
    /// Whether <paramref name="json"/> is exactly one object or array: its brackets (outside
    /// strings) close for the first time at its last byte. Valid JSON is assumed; this only rules
    /// out a value followed by more properties of the envelope.
    /// </summary>
    private static bool IsOneCompoundValue(ReadOnlySpan<byte> json)
    {
        if (json.IsEmpty || json[0] is not ((byte)'{' or (byte)'['))
        {
            return false;
        }
        var depth = 0;
        var inString = false;
        for (var i = 0; i < json.Length; i++)
        {
            var b = json[i];
            if (inString)
            {
                if (b == (byte)'\\') i++;
                else if (b == (byte)'"') inString = false;
                continue;
            }
            switch (b)
            {
                case (byte)'"':
                    inString = true;
                    break;
                case (byte)'{' or (byte)'[':
                    depth++;
                    break;
                case (byte)'}' or (byte)']':
                    if (--depth == 0) return i == json.Length - 1;
                    break;
            }
        }
        return false;
    }
}
