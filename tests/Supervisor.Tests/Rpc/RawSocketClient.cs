using System.Net.Sockets;
using System.Text;
using Xunit;

namespace Supervisor.Tests.Rpc;

/// <summary>
/// A client that speaks bytes, not JSON-RPC: it writes literal frames and reads replies back
/// as literal text, parsing the header itself so nothing under test checks its own output.
/// </summary>
internal sealed class RawSocketClient : IAsyncDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    private readonly Socket _socket;
    private readonly List<byte> _received = [];

    private RawSocketClient(Socket socket) => _socket = socket;

    public static async Task<RawSocketClient> ConnectAsync(string socketPath)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath));
        return new RawSocketClient(socket);
    }

    public async Task SendAsync(string text)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(text);
        await _socket.SendAsync(bytes);
    }

    public async Task SendBytesAsync(byte[] bytes) => await _socket.SendAsync(bytes);

    /// <summary>Sends one byte per write, so the server sees the frame split at every position.</summary>
    public async Task SendBytewiseAsync(string text)
    {
        foreach (byte b in Encoding.UTF8.GetBytes(text))
        {
            await _socket.SendAsync(new[] { b });
            await Task.Yield();
        }
    }

    /// <summary>Half-closes the connection: the server reads EOF, the client can still read.</summary>
    public void ShutdownSending() => _socket.Shutdown(SocketShutdown.Send);

    /// <summary>Reads one whole reply frame and returns it verbatim, header included.</summary>
    public async Task<string> ReadFrameAsync()
    {
        int headerEnd;
        while ((headerEnd = IndexOfHeaderEnd()) < 0)
        {
            if (!await ReceiveMoreAsync())
            {
                throw new EndOfStreamException($"The server closed the connection; received so far: '{Encoding.UTF8.GetString([.. _received])}'.");
            }
        }

        string header = Encoding.ASCII.GetString([.. _received.Take(headerEnd)]);
        Assert.StartsWith("Content-Length: ", header);
        int length = int.Parse(header["Content-Length: ".Length..]);
        int total = headerEnd + 4 + length;
        while (_received.Count < total)
        {
            if (!await ReceiveMoreAsync())
            {
                throw new EndOfStreamException("The server closed the connection in the middle of a frame.");
            }
        }

        string frame = Encoding.UTF8.GetString([.. _received.Take(total)]);
        _received.RemoveRange(0, total);
        return frame;
    }

    /// <summary>True once the server has closed the connection (EOF or reset), with nothing else sent first.</summary>
    public async Task<bool> WasClosedByServerAsync()
    {
        try
        {
            return !await ReceiveMoreAsync() && _received.Count == 0;
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.ConnectionReset)
        {
            return _received.Count == 0;
        }
    }

    public ValueTask DisposeAsync()
    {
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }

    private int IndexOfHeaderEnd()
    {
        for (int i = 0; i + 3 < _received.Count; i++)
        {
            if (_received[i] == '\r' && _received[i + 1] == '\n' && _received[i + 2] == '\r' && _received[i + 3] == '\n')
            {
                return i;
            }
        }

        return -1;
    }

    private async Task<bool> ReceiveMoreAsync()
    {
        var buffer = new byte[4096];
        int read = await _socket.ReceiveAsync(buffer).WaitAsync(Deadline);
        _received.AddRange(buffer.AsSpan(0, read).ToArray());
        return read > 0;
    }
}
