using System.Runtime.InteropServices;

namespace Supervisor.Core.Platform;

/// <summary>What the keeper (src/Supervisor.Core/Keeper) needs beyond Libc.cs: Linux only.</summary>
internal static partial class Libc
{
    // prctl and PR_SET_CHILD_SUBREAPER are in Libc.Process.cs (the daemon is a subreaper too).
    public const int O_NONBLOCK = 0x800;
    public const int F_SETFD = 2;
    public const int F_SETFL = 4;
    public const int FD_CLOEXEC = 1;
    public const int ECHILD = 10;

    [LibraryImport("libc", EntryPoint = "socketpair", SetLastError = true)]
    public static unsafe partial int SocketPair(int domain, int type, int protocol, int* fds);

    /// <summary>open(2) with a mode-less flag set, for /proc/PID/fd/N (a pipe opened there is a new description of the same pipe).</summary>
    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int OpenPath(string path, int flags);
}
