using System.Runtime.InteropServices;

namespace Supervisor.Core.Platform;

/// <summary>
/// Moving app output from its pipe into the log file without ever holding it only in our memory
/// (Logs/PipeOutputPump): tee(2) to look, splice(2) to move or discard, epoll(7) edge-triggered
/// to wake when an app writes more. Linux only.
/// </summary>
internal static partial class Libc
{
    public const int EAGAIN = 11;
    public const short POLLHUP = 16;
    public const uint SPLICE_F_NONBLOCK = 2;
    public const int O_WRONLY = 1;
    public const int FIONREAD = 0x541B;

    public const int EPOLL_CLOEXEC = 0x80000;
    public const int EPOLL_CTL_ADD = 1;
    public const int EPOLL_CTL_DEL = 2;
    public const uint EPOLLIN = 0x001;
    public const uint EPOLLHUP = 0x010;
    public const uint EPOLLET = 1u << 31;

    /// <summary>struct epoll_event is packed (12 bytes) on x86-64 only; 16 bytes elsewhere.</summary>
    public static int EpollEventSize => RuntimeInformation.ProcessArchitecture is Architecture.X64 ? 12 : 16;

    public static int EpollDataOffset => RuntimeInformation.ProcessArchitecture is Architecture.X64 ? 4 : 8;

    /// <summary>Copies up to <paramref name="length"/> bytes of one pipe into another without consuming them.</summary>
    [LibraryImport("libc", EntryPoint = "tee", SetLastError = true)]
    public static partial nint Tee(int fdIn, int fdOut, nuint length, uint flags);

    [LibraryImport("libc", EntryPoint = "splice", SetLastError = true)]
    public static unsafe partial nint Splice(int fdIn, long* offIn, int fdOut, long* offOut, nuint length, uint flags);

    [LibraryImport("libc", EntryPoint = "ioctl", SetLastError = true)]
    public static unsafe partial int Ioctl(int fd, nuint request, int* argument);

    [LibraryImport("libc", EntryPoint = "epoll_create1", SetLastError = true)]
    public static partial int EpollCreate1(int flags);

    [LibraryImport("libc", EntryPoint = "epoll_ctl", SetLastError = true)]
    public static unsafe partial int EpollCtl(int epfd, int op, int fd, byte* ev);

    [LibraryImport("libc", EntryPoint = "epoll_wait", SetLastError = true)]
    public static unsafe partial int EpollWait(int epfd, byte* events, int maxEvents, int timeoutMs);
}
