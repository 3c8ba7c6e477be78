using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Supervisor.Core.Rpc;

/// <summary>
/// Who is at the other end of a Unix socket. The client connects with a raw socket (see
/// <see cref="RpcClient"/>), so it makes the check <c>PipeOptions.CurrentUserOnly</c> would:
/// the daemon it talks to must run as the same user.
/// </summary>
internal static partial class UnixPeerCredentials
{
    // <sys/socket.h> on Linux; struct ucred is { pid_t pid; uid_t uid; gid_t gid; }.
    private const int SolSocket = 1;
    private const int SoPeerCred = 17;

    public static uint EffectiveUserId => GetEffectiveUserId();

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
            return GetPeerEid(socket.Handle, out uint uid, out _) == 0 ? uid : null;
        }

        return null;
    }

    [LibraryImport("libc", EntryPoint = "geteuid")]
    private static partial uint GetEffectiveUserId();

    // getpeereid(3) exists on the BSDs and macOS, not in glibc: only called there.
    [LibraryImport("libc", EntryPoint = "getpeereid", SetLastError = true)]
    private static partial int GetPeerEid(nint socket, out uint uid, out uint gid);
}
