using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Supervisor.Core.Platform;

/// <summary>
/// Who is at the other end of a Unix socket. The RPC client connects with a raw socket, so it
/// makes the check <c>PipeOptions.CurrentUserOnly</c> would: the daemon it talks to must run as
/// the same user.
/// </summary>
internal static class UnixPeerCredentials
{
    // <sys/socket.h> on Linux; struct ucred is { pid_t pid; uid_t uid; gid_t gid; }.
    private const int SolSocket = 1;
    private const int SoPeerCred = 17;

    public static uint EffectiveUserId => OperatingSystem.IsWindows() ? 0 : Libc.GetEffectiveUid();

    /// <summary>The peer's uid, or null where the platform offers no way to ask.</summary>
    public static uint? GetPeerUserId(Socket socket)
    {
        if (OperatingSystem.IsLinux())
        {
            Span<byte> ucred = stackalloc byte[12];
            int length = socket.GetRawSocketOption(SolSocket, SoPeerCred, ucred);
            return length >= 8 ? MemoryMarshal.Read<uint>(ucred[4..]) : null;
        }

        if (OperatingSystem.IsMacOS() || OperatingSystem.IsFreeBSD())
        {
            return Libc.GetPeerEid(socket.Handle, out uint uid, out _) == 0 ? uid : null;
        }

        return null;
    }
}
