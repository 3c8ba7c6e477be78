using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using System.Text;

namespace Supervisor.Core.Platform;

/// <summary>
/// A connected Unix stream socket with plain blocking calls and kernel timeouts, straight on libc.
/// </summary>
/// <remarks>
/// For one short request from a short-lived process (the CLI's quick call). Creating a
/// <c>System.Net.Sockets.Socket</c> starts the runtime's socket event engine and its telemetry,
/// which measured at about 18 ms of CPU per `sup ls --json`; these calls cost well under one
/// (docs/benchmarks.md). Linux on 64-bit x64 and arm64 only (sockaddr_un, timeval and option
/// numbers are laid out as there); <see cref="IsSupported"/> says so.
/// </remarks>
[UnsupportedOSPlatform("windows")]
internal sealed class BlockingUnixSocket : IDisposable
{
    private const int SunPathBytes = 108;

    private int _fd;

    private BlockingUnixSocket(int fd) => _fd = fd;

    public static bool IsSupported =>
        OperatingSystem.IsLinux()
        && RuntimeInformation.ProcessArchitecture is Architecture.X64 or Architecture.Arm64;

    /// <summary>
    /// Connects to <paramref name="path"/>; null when nothing listens there (ENOENT, ECONNREFUSED) or
    /// the listener does not accept within <paramref name="timeout"/> (a Unix connect honours the
    /// send timeout). Writes then fail with <see cref="IOException"/> after the same timeout, and
    /// reads too unless <paramref name="timeoutReads"/> is false (a call that may take long, such
    /// as stopping apps; <see cref="Shutdown"/> ends such a wait).
    /// </summary>
    public static unsafe BlockingUnixSocket? TryConnect(string path, TimeSpan timeout, bool timeoutReads = true)
    {
        if (!IsSupported)
        {
            throw new PlatformNotSupportedException("BlockingUnixSocket needs Linux on x64 or arm64.");
        }

        Span<byte> address = stackalloc byte[2 + SunPathBytes];
        address.Clear();
        address[0] = Libc.AF_UNIX; // sa_family_t, little-endian on x64 and arm64
        if (Encoding.UTF8.GetByteCount(path) >= SunPathBytes)
        {
            return null;
        }
        var pathLength = Encoding.UTF8.GetBytes(path, address[2..]);

        var fd = Libc.Socket(Libc.AF_UNIX, Libc.SOCK_STREAM | Libc.SOCK_CLOEXEC, 0);
        if (fd < 0)
        {
            throw Error("socket");
        }
        var socket = new BlockingUnixSocket(fd);
        try
        {
            // struct timeval { long tv_sec; long tv_usec; } on 64-bit Linux.
            var micros = (long)timeout.TotalMicroseconds;
            var tv = stackalloc long[2];
            tv[0] = micros / 1_000_000;
            tv[1] = micros % 1_000_000;
            if (Libc.SetSockOpt(fd, Libc.SOL_SOCKET, Libc.SO_SNDTIMEO, tv, 16) != 0
                || (timeoutReads && Libc.SetSockOpt(fd, Libc.SOL_SOCKET, Libc.SO_RCVTIMEO, tv, 16) != 0))
            {
                throw Error("setsockopt");
            }
            fixed (byte* a = address)
            {
                if (Libc.Connect(fd, a, (uint)(2 + pathLength + 1)) != 0)
                {
                    socket.Dispose();
                    return null;
                }
            }
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>The uid of the process at the other end (SO_PEERCRED), or null if it cannot be read.</summary>
    public unsafe uint? PeerUserId()
    {
        // struct ucred { pid_t pid; uid_t uid; gid_t gid; }
        Span<uint> ucred = stackalloc uint[3];
        uint length = 12;
        fixed (uint* p = ucred)
        {
            return Libc.GetSockOpt(_fd, Libc.SOL_SOCKET, Libc.SO_PEERCRED, p, &length) == 0 && length >= 8 ? ucred[1] : null;
        }
    }

    public unsafe void SendAll(ReadOnlySpan<byte> bytes)
    {
        fixed (byte* start = bytes)
        {
            var sent = 0;
            while (sent < bytes.Length)
            {
                var n = Libc.Send(_fd, start + sent, bytes.Length - sent, Libc.MSG_NOSIGNAL);
                if (n < 0)
                {
                    if (Marshal.GetLastPInvokeError() == Libc.EINTR) continue;
                    throw Error("send");
                }
                sent += (int)n;
            }
        }
    }

    /// <returns>Bytes read; 0 at end of stream.</returns>
    public unsafe int Receive(Span<byte> buffer)
    {
        fixed (byte* start = buffer)
        {
            while (true)
            {
                var n = Libc.Read(_fd, start, buffer.Length);
                if (n >= 0) return (int)n;
                if (Marshal.GetLastPInvokeError() != Libc.EINTR) throw Error("read");
            }
        }
    }

    /// <summary>
    /// Ends both directions: a read blocked in another thread returns 0 (end of stream). Safe to
    /// call from a cancellation callback while the socket is in use; a no-op once disposed.
    /// </summary>
    public void Shutdown()
    {
        var fd = Volatile.Read(ref _fd);
        if (fd >= 0)
        {
            Libc.Shutdown(fd, Libc.SHUT_RDWR);
        }
    }

    public void Dispose()
    {
        if (_fd >= 0)
        {
            Libc.Close(_fd);
            _fd = -1;
        }
    }

    private static IOException Error(string call) =>
        new($"{call} on a Unix socket failed: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
}
