using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace Supervisor.Core.Platform;

/// <summary>
/// Reads what a pipe holds without taking it out (tee(2) into a private pipe, then read(2) from
/// that), and later takes out exactly what was dealt with: moved into a file or discarded with
/// splice(2). Output a daemon has only looked at stays in the app's pipe, where the keeper's
/// read end keeps it for the next daemon if this one is killed.
/// </summary>
/// <remarks>
/// The private pipes are pooled, not one per app: each is empty between calls, so any pump can
/// use any of them, and only as many exist as pumps ever peeked at once (a few, one per thread).
/// Each is grown to <see cref="PipeCapacity.LargeSize"/> when the kernel allows, so a peek sees
/// all of a large app pipe.
/// </remarks>
[SupportedOSPlatform("linux")]
public static class PipePeek
{
    private static readonly ConcurrentBag<(int Read, int Write, int Size)> Spare = [];
    private static readonly Lazy<int> DevNull = new(() => Libc.Open("/dev/null", Libc.O_WRONLY | Libc.O_CLOEXEC));

    /// <summary>Bytes <paramref name="fd"/> holds now (FIONREAD).</summary>
    public static unsafe int Available(int fd)
    {
        int n;
        return Libc.Ioctl(fd, Libc.FIONREAD, &n) == 0 ? n : 0;
    }

    /// <summary>The capacity of pipe <paramref name="fd"/>.</summary>
    public static int Capacity(int fd) => Math.Max(0, Libc.Fcntl(fd, Libc.F_GETPIPE_SZ, 0));

    /// <summary>Whether every writer of <paramref name="fd"/> has closed it (poll reports POLLHUP).</summary>
    public static unsafe bool WritersGone(int fd)
    {
        var poll = new Libc.PollFd { Fd = fd, Events = Libc.POLLIN };
        return Libc.Poll(&poll, 1, 0) > 0 && (poll.REvents & Libc.POLLHUP) != 0;
    }

    /// <summary>
    /// Copies the first bytes <paramref name="fd"/> holds into <paramref name="into"/>, leaving them
    /// in the pipe. Returns how many (at most the buffer's and the private pipe's size), 0 at end
    /// of stream (empty, no writer left), -1 when the pipe is empty but still has a writer.
    /// </summary>
    /// <param name="window">The most this peek could see: the buffer's or the private pipe's size.</param>
    /// <exception cref="IOException">The descriptor is not a readable pipe.</exception>
    public static unsafe int Peek(int fd, Span<byte> into, out int window)
    {
        var priv = Rent();
        window = Math.Min(into.Length, priv.Size);
        try
        {
            nint teed;
            do teed = Libc.Tee(fd, priv.Write, (nuint)window, Libc.SPLICE_F_NONBLOCK);
            while (teed < 0 && Marshal.GetLastPInvokeError() == Libc.EINTR);
            if (teed < 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                if (errno == Libc.EAGAIN) return -1;
                throw new IOException($"tee from pipe {fd} failed: {Marshal.GetPInvokeErrorMessage(errno)}.");
            }
            var got = 0;
            fixed (byte* p = into)
            {
                while (got < teed)
                {
                    var n = Libc.Read(priv.Read, p + got, (nint)teed - got);
                    if (n < 0 && Marshal.GetLastPInvokeError() == Libc.EINTR) continue;
                    if (n <= 0) throw new IOException($"reading back a peek of pipe {fd} failed: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}.");
                    got += (int)n;
                }
            }
            return got;
        }
        finally
        {
            Spare.Add(priv);
        }
    }

    /// <summary>
    /// Moves the first <paramref name="count"/> bytes of pipe <paramref name="fd"/> (already peeked,
    /// so they are there) into <paramref name="file"/> at <paramref name="offset"/>. Returns how
    /// many were moved; fewer only when writing the file failed, with its errno.
    /// </summary>
    public static unsafe (int Moved, int Errno) MoveToFile(int fd, int file, long offset, int count)
    {
        var moved = 0;
        while (moved < count)
        {
            var at = offset + moved;
            var n = Libc.Splice(fd, null, file, &at, (nuint)(count - moved), 0);
            if (n < 0 && Marshal.GetLastPInvokeError() == Libc.EINTR) continue;
            if (n <= 0) return (moved, n < 0 ? Marshal.GetLastPInvokeError() : 0);
            moved += (int)n;
        }
        return (moved, 0);
    }

    /// <summary>Takes the first <paramref name="count"/> bytes (already peeked) out of pipe <paramref name="fd"/>.</summary>
    /// <exception cref="IOException">They could not be taken out.</exception>
    public static unsafe void Consume(int fd, int count)
    {
        while (count > 0)
        {
            var n = Libc.Splice(fd, null, DevNull.Value, null, (nuint)count, 0);
            if (n < 0 && Marshal.GetLastPInvokeError() == Libc.EINTR) continue;
            if (n <= 0) throw new IOException($"discarding {count} bytes of pipe {fd} failed: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}.");
            count -= (int)n;
        }
    }

    private static unsafe (int Read, int Write, int Size) Rent()
    {
        if (Spare.TryTake(out var priv)) return priv;
        int* fds = stackalloc int[2];
        if (Libc.Pipe2(fds, Libc.O_CLOEXEC) != 0)
            throw new IOException($"pipe2 failed: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}.");
        Libc.Fcntl(fds[1], Libc.F_SETPIPE_SZ, PipeCapacity.LargeSize);
        return (fds[0], fds[1], Capacity(fds[1]));
    }
}
