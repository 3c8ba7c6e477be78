using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace Supervisor.Core.Platform;

/// <summary>
/// Every native call of the project, in one place. Callers read errno with
/// <see cref="Marshal.GetLastPInvokeError"/> right after the call and translate it there.
/// Windows has no libc: the analyzer (CA1416) makes every call site prove it is not on Windows.
/// </summary>
[UnsupportedOSPlatform("windows")]
internal static partial class Libc
{
    // errno values shared by Linux and macOS.
    public const int EPERM = 1;
    public const int ENOENT = 2;
    public const int ESRCH = 3;
    public const int EINTR = 4;
    public const int EINVAL = 22;

    public const int O_RDONLY = 0;

    /// <summary>O_WRONLY | O_CREAT | O_APPEND as Linux numbers them (posix_spawn file actions, Linux only).</summary>
    public const int LinuxAppendFlags = 0x1 | 0x40 | 0x400;

    /// <summary>Close-on-exec, so a descriptor opened here never leaks into an app started meanwhile.</summary>
    public static int O_CLOEXEC => OperatingSystem.IsMacOS() ? 0x1000000 : 0x80000;

    /// <summary>sysconf name for clock ticks per second: 2 in glibc/musl, 3 on macOS.</summary>
    public static int SC_CLK_TCK => OperatingSystem.IsMacOS() ? 3 : 2;

    /// <summary>kill(2): a negative pid targets a process group; signal 0 only checks existence.</summary>
    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    public static partial int Kill(int pid, int signal);

    [LibraryImport("libc", EntryPoint = "geteuid")]
    public static partial uint GetEffectiveUid();

    [LibraryImport("libc", EntryPoint = "sysconf", SetLastError = true)]
    public static partial long SysConf(int name);

    // open(2) is variadic only in its third (mode) argument, which is never passed here.
    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Open(string path, int flags);

    /// <summary>open(2) with a NUL-terminated UTF-8 path, for hot loops that must not allocate.</summary>
    [LibraryImport("libc", EntryPoint = "open", SetLastError = true)]
    public static unsafe partial int Open(byte* path, int flags);

    [LibraryImport("libc", EntryPoint = "read", SetLastError = true)]
    public static unsafe partial nint Read(int fd, byte* buffer, nint count);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    public static partial int FSync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);

    // getpeereid(3) exists on the BSDs and macOS, not in glibc: only called there.
    [LibraryImport("libc", EntryPoint = "getpeereid", SetLastError = true)]
    public static partial int GetPeerEid(nint socket, out uint uid, out uint gid);

    /// <summary>fcntl(2) command that resizes a pipe (Linux only); the result is the new capacity.</summary>
    public const int F_SETPIPE_SZ = 1031;

    /// <summary>fcntl(2) command that returns a pipe's capacity (Linux only).</summary>
    public const int F_GETPIPE_SZ = 1032;

    // fcntl(2) is variadic in its third argument; an int is passed as any fixed int argument
    // on the supported ABIs (x64, arm64).
    [LibraryImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    public static partial int Fcntl(int fd, int command, int argument);

    // Unix stream sockets, for the keeper's socketpair and its line protocol (Keeper/). The
    // values are Linux's generic ones (x64 and arm64); other platforms keep to System.Net.Sockets.
    public const int AF_UNIX = 1;
    public const int SOCK_STREAM = 1;
    public const int SOCK_CLOEXEC = 0x80000;
    public const int MSG_NOSIGNAL = 0x4000;

    [LibraryImport("libc", EntryPoint = "send", SetLastError = true)]
    public static unsafe partial nint Send(int fd, byte* buffer, nint count, int flags);

    // Starting apps without a wrapper exec (SessionSpawn, Linux): posix_spawn with the session,
    // signal and descriptor set-up done in the child, and a pidfd to learn of its exit
    // (ChildReaper). glibc's own types are opaque here; the buffers are larger than any of them.
    public const int POSIX_SPAWN_SETSIGDEF = 0x04;
    public const int POSIX_SPAWN_SETSIGMASK = 0x08;
    public const int POSIX_SPAWN_SETSID = 0x80;
    public const int SpawnStructBytes = 1024;
    public const int WNOHANG = 1;
    public const short POLLIN = 1;
    public const short POLLERR = 8;
    public const int EFD_CLOEXEC = 0x80000;
    public const int EFD_NONBLOCK = 0x800;

    [LibraryImport("libc", EntryPoint = "posix_spawn")]
    public static unsafe partial int PosixSpawn(int* pid, byte* path, void* fileActions, void* attributes, byte** argv, byte** envp);

    [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_init")]
    public static unsafe partial int SpawnFileActionsInit(void* fileActions);

    [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_destroy")]
    public static unsafe partial int SpawnFileActionsDestroy(void* fileActions);

    [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_adddup2")]
    public static unsafe partial int SpawnFileActionsAddDup2(void* fileActions, int fd, int newFd);

    [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_addopen", StringMarshalling = StringMarshalling.Utf8)]
    public static unsafe partial int SpawnFileActionsAddOpen(void* fileActions, int fd, string path, int flags, uint mode);

    // glibc 2.29 and later.
    [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_addchdir_np", StringMarshalling = StringMarshalling.Utf8)]
    public static unsafe partial int SpawnFileActionsAddChdir(void* fileActions, string path);

    // glibc 2.34 and later: check with HasExport before calling.
    [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_addclosefrom_np")]
    public static unsafe partial int SpawnFileActionsAddCloseFrom(void* fileActions, int lowFd);

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_init")]
    public static unsafe partial int SpawnAttrInit(void* attributes);

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_destroy")]
    public static unsafe partial int SpawnAttrDestroy(void* attributes);

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_setflags")]
    public static unsafe partial int SpawnAttrSetFlags(void* attributes, short flags);

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_setsigdefault")]
    public static unsafe partial int SpawnAttrSetSigDefault(void* attributes, void* signals);

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_setsigmask")]
    public static unsafe partial int SpawnAttrSetSigMask(void* attributes, void* signals);

    [LibraryImport("libc", EntryPoint = "sigemptyset")]
    public static unsafe partial int SigEmptySet(void* set);

    [LibraryImport("libc", EntryPoint = "sigfillset")]
    public static unsafe partial int SigFillSet(void* set);

    [LibraryImport("libc", EntryPoint = "sigdelset")]
    public static unsafe partial int SigDelSet(void* set, int signal);

    [LibraryImport("libc", EntryPoint = "pipe2", SetLastError = true)]
    public static unsafe partial int Pipe2(int* fds, int flags);

    /// <summary>pidfd_open(2)'s number, the same on x86-64 and arm64 (Linux 5.3).</summary>
    public const long SYS_pidfd_open = 434;

    // Through syscall(2): glibc only has a pidfd_open wrapper from 2.36 (Ubuntu 22.04 has 2.35).
    // syscall is variadic; integer arguments pass as fixed ones on x86-64 and arm64 Linux.
    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
    public static partial int Syscall(long number, int argument1, uint argument2);

    public static int PidFdOpen(int pid, uint flags) => Syscall(SYS_pidfd_open, pid, flags);

    [LibraryImport("libc", EntryPoint = "waitpid", SetLastError = true)]
    public static unsafe partial int WaitPid(int pid, int* status, int options);

    /// <summary>A waitpid status as an exit code: WEXITSTATUS for a normal exit, 128 + WTERMSIG for a signal (as Process.ExitCode reports it).</summary>
    public static int ExitCode(int waitStatus) =>
        (waitStatus & 0x7f) == 0 ? (waitStatus >> 8) & 0xff : 128 + (waitStatus & 0x7f);

    /// <summary>Whether this glibc exports <paramref name="symbol"/> (the newer posix_spawn file actions are checked before use).</summary>
    public static bool HasExport(string symbol) =>
        NativeLibrary.TryLoad("libc.so.6", out var libc) && NativeLibrary.TryGetExport(libc, symbol, out _);

    [StructLayout(LayoutKind.Sequential)]
    public struct PollFd
    {
        public int Fd;
        public short Events;
        public short REvents;
    }

    [LibraryImport("libc", EntryPoint = "poll", SetLastError = true)]
    public static unsafe partial int Poll(PollFd* fds, nuint count, int timeoutMs);

    [LibraryImport("libc", EntryPoint = "eventfd", SetLastError = true)]
    public static partial int EventFd(uint initial, int flags);

    [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
    public static unsafe partial nint Write(int fd, byte* buffer, nint count);
}
