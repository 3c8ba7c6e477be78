using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace Supervisor.Core.Platform;

/// <summary>
/// Wakes a pipe's reader each time its writer writes, even when the pipe already held data: one
/// thread for every pipe, asleep in epoll_wait(2) with edge-triggered (EPOLLET) registrations.
/// </summary>
/// <remarks>
/// A reader that leaves an unfinished line in the pipe (Logs/PipeOutputPump) cannot wait with
/// poll(2): the pipe stays readable and poll returns at once. Edge-triggered epoll reports each
/// new write instead; Linux wakes epoll waiters on every write to a pipe that has been polled
/// (pipe_write and `poll_usage`, since 5.16; earlier since 5.14 on every write). The writer's
/// last close is reported the same way (EPOLLHUP).
/// </remarks>
[SupportedOSPlatform("linux")]
public sealed class PipeWatcher
{
    private const int MaxEvents = 64;

    private static readonly Lazy<PipeWatcher> LazyShared = new(() => new PipeWatcher());

    private readonly int _epoll;
    private readonly ConcurrentDictionary<int, Waiter> _byFd = new();

    private PipeWatcher()
    {
        _epoll = Libc.EpollCreate1(Libc.EPOLL_CLOEXEC);
        if (_epoll < 0) throw new IOException($"epoll_create1 failed: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}.");
        new Thread(Loop) { IsBackground = true, Name = "sup pipe watcher" }.Start();
    }

    public static PipeWatcher Shared => LazyShared.Value;

    /// <summary>Starts watching <paramref name="fd"/> (a pipe's read end); dispose the waiter before closing it.</summary>
    public unsafe Waiter Watch(int fd)
    {
        var waiter = new Waiter(this, fd);
        _byFd[fd] = waiter;
        var ev = stackalloc byte[16];
        *(uint*)ev = Libc.EPOLLIN | Libc.EPOLLET;
        *(long*)(ev + Libc.EpollDataOffset) = fd;
        if (Libc.EpollCtl(_epoll, Libc.EPOLL_CTL_ADD, fd, ev) != 0)
        {
            _byFd.TryRemove(fd, out _);
            throw new IOException($"epoll_ctl(ADD) of pipe {fd} failed: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}.");
        }
        return waiter;
    }

    private unsafe void Unwatch(Waiter waiter)
    {
        var ev = stackalloc byte[16];
        Libc.EpollCtl(_epoll, Libc.EPOLL_CTL_DEL, waiter.Fd, ev);
        _byFd.TryRemove(new KeyValuePair<int, Waiter>(waiter.Fd, waiter));
    }

    private unsafe void Loop()
    {
        var size = Libc.EpollEventSize;
        var events = stackalloc byte[MaxEvents * 16];
        while (true)
        {
            var n = Libc.EpollWait(_epoll, events, MaxEvents, -1);
            for (var i = 0; i < n; i++)
            {
                var fd = (int)*(long*)(events + i * size + Libc.EpollDataOffset);
                if (_byFd.TryGetValue(fd, out var waiter)) waiter.Signal();
            }
        }
    }

    /// <summary>
    /// One pipe's wake-ups: <see cref="Reset"/> before looking at the pipe, then
    /// <see cref="WaitAsync"/> returns at the first write after that reset (at once if one came
    /// meanwhile), so no write is missed between looking and waiting.
    /// </summary>
    public sealed class Waiter : IDisposable
    {
        private readonly PipeWatcher _watcher;
        private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _disposed;

        internal Waiter(PipeWatcher watcher, int fd)
        {
            _watcher = watcher;
            Fd = fd;
        }

        internal int Fd { get; }

        public void Reset()
        {
            if (Volatile.Read(ref _next).Task.IsCompleted)
                Volatile.Write(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        }

        public Task WaitAsync(CancellationToken ct) => Volatile.Read(ref _next).Task.WaitAsync(ct);

        internal void Signal() => Volatile.Read(ref _next).TrySetResult();

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0) _watcher.Unwatch(this);
        }
    }
}
