using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using System.Text;
using Supervisor.Core.Platform;

namespace Supervisor.Core.Keeper;

/// <summary>
/// One end of the keeper's socketpair with the daemon it started: newline-ended ASCII lines
/// (see <see cref="KeeperMessage"/>) both ways. Each line is far below the socket buffer, and a
/// send never raises SIGPIPE (MSG_NOSIGNAL): a peer that died is a failed send, not our death.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class KeeperSocket(int fd) : IDisposable
{
    private readonly byte[] _buffer = new byte[4096];
    private readonly StringBuilder _pending = new();
    private readonly Lock _sendGate = new();
    private int _fd = fd;

    public int Fd => _fd;

    /// <summary>Both ends, close-on-exec; the caller passes one to the other process.</summary>
    public static unsafe (int Mine, int Theirs) CreatePair()
    {
        int* fds = stackalloc int[2];
        if (Libc.SocketPair(Libc.AF_UNIX, Libc.SOCK_STREAM | Libc.SOCK_CLOEXEC, 0, fds) != 0)
            throw new IOException($"socketpair failed: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}.");
        return (fds[0], fds[1]);
    }

    /// <returns>False when the peer is gone.</returns>
    public unsafe bool Send(string line)
    {
        var bytes = Encoding.ASCII.GetBytes(line + "\n");
        lock (_sendGate)
        {
            if (_fd < 0) return false;
            fixed (byte* p = bytes)
            {
                var sent = 0;
                while (sent < bytes.Length)
                {
                    var n = Libc.Send(_fd, p + sent, bytes.Length - sent, Libc.MSG_NOSIGNAL);
                    if (n < 0 && Marshal.GetLastPInvokeError() == Libc.EINTR) continue;
                    if (n <= 0) return false;
                    sent += (int)n;
                }
            }
            return true;
        }
    }

    /// <summary>Waits up to <paramref name="timeoutMs"/> (-1: forever) for data.</summary>
    /// <returns>True when a read would not block (data, EOF or an error).</returns>
    public unsafe bool WaitReadable(int timeoutMs)
    {
        var poll = new Libc.PollFd { Fd = _fd, Events = Libc.POLLIN };
        var ready = Libc.Poll(&poll, 1, timeoutMs);
        return ready > 0;
    }

    /// <summary>
    /// The complete lines one read(2) brought (after <see cref="WaitReadable"/>, it does not block);
    /// null at EOF or on an error: the peer is gone.
    /// </summary>
    public unsafe List<string>? ReadLines()
    {
        nint n;
        fixed (byte* p = _buffer)
        {
            do n = Libc.Read(_fd, p, _buffer.Length);
            while (n < 0 && Marshal.GetLastPInvokeError() == Libc.EINTR);
        }
        if (n <= 0) return null;
        _pending.Append(Encoding.ASCII.GetString(_buffer, 0, (int)n));
        var lines = new List<string>();
        var text = _pending.ToString();
        var start = 0;
        for (var nl = text.IndexOf('\n'); nl >= 0; nl = text.IndexOf('\n', start))
        {
            lines.Add(text[start..nl]);
            start = nl + 1;
        }
        _pending.Clear().Append(text, start, text.Length - start);
        return lines;
    }

    public void Dispose()
    {
        lock (_sendGate)
        {
            if (_fd >= 0) Libc.Close(_fd);
            _fd = -1;
        }
    }
}
