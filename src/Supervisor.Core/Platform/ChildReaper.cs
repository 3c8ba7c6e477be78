using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace Supervisor.Core.Platform;

/// <summary>
/// Learns when children started by <see cref="SessionSpawn"/> exit, and reaps them: one thread
/// for all of them, asleep in poll(2) on a pidfd per child (readable once the child has exited)
/// and an eventfd that wakes it when a child is added. The runtime's own SIGCHLD handling reaps
/// only the children of System.Diagnostics.Process, so the two never take each other's.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class ChildReaper
{
    private static readonly Lazy<ChildReaper> LazyShared = new(() => new ChildReaper());

    private readonly Lock _gate = new();
    private readonly Dictionary<int, Watched> _byPidFd = [];
    private readonly HashSet<int> _pids = [];
    private readonly int _wake;

    private ChildReaper()
    {
        _wake = Libc.EventFd(0, Libc.EFD_CLOEXEC | Libc.EFD_NONBLOCK);
        if (_wake < 0) throw new SupException(SupError.Io, $"eventfd failed: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}.");
        new Thread(Loop) { IsBackground = true, Name = "sup child reaper" }.Start();
    }

    public static ChildReaper Shared => LazyShared.Value;

    /// <summary>
    /// Held from a spawn until its child is watched, and by a scan for adopted orphans
    /// (<see cref="AdoptedOrphans"/>): a scan never takes a child just started for an orphan.
    /// </summary>
    public Lock Spawning { get; } = new();

    /// <summary>Whether <paramref name="pid"/> is watched (and will be reaped) here.</summary>
    public bool IsWatching(int pid)
    {
        lock (_gate) return _pids.Contains(pid);
    }

    /// <summary>
    /// Reaps <paramref name="pid"/>, an exited child nobody watches (an orphan adopted while this
    /// process is a subreaper, which died before it was seen alive). Reaping by pid, never
    /// waitpid(-1): the runtime reaps its own children and fails fast if one is taken from it.
    /// </summary>
    public unsafe bool TryReapUnwatched(int pid)
    {
        lock (_gate)
        {
            if (_pids.Contains(pid)) return false;
            int status;
            return Libc.WaitPid(pid, &status, Libc.WNOHANG) == pid;
        }
    }

    private static readonly Lazy<bool> LazySupported = new(Probe);

    /// <summary>
    /// Whether this system has what <see cref="SessionSpawn"/> and the reaper need: pidfds
    /// (Linux 5.3) and posix_spawn_file_actions_addchdir_np (glibc 2.29). Without them, apps are
    /// started through Process.Start and setsid(1) as before.
    /// </summary>
    public static bool IsSupported => LazySupported.Value;

    private static bool Probe()
    {
        try
        {
            if (!Libc.HasExport("posix_spawn_file_actions_addchdir_np"))
                return false;
            var self = Libc.PidFdOpen(System.Environment.ProcessId, 0);
            if (self < 0) return false;
            Libc.Close(self);
            return true;
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    /// <summary>
    /// The exit code of <paramref name="pid"/>, a child of this process: its status, or 128 + the
    /// signal that ended it (as Process.ExitCode reports it). Completes asynchronously.
    /// </summary>
    public Task<int> WatchAsync(int pid)
    {
        var pidFd = Libc.PidFdOpen(pid, 0);
        if (pidFd < 0) throw new SupException(SupError.Io, $"pidfd_open({pid}) failed: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}.");
        var exited = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            _byPidFd[pidFd] = new Watched(pid, exited);
            _pids.Add(pid);
        }
        Wake();
        return exited.Task;
    }

    private unsafe void Wake()
    {
        long one = 1;
        Libc.Write(_wake, (byte*)&one, sizeof(long));
    }

    private unsafe void Loop()
    {
        var fds = new Libc.PollFd[16];
        while (true)
        {
            int count;
            lock (_gate)
            {
                count = _byPidFd.Count + 1;
                if (fds.Length < count) fds = new Libc.PollFd[Math.Max(count, fds.Length * 2)];
                fds[0] = new Libc.PollFd { Fd = _wake, Events = Libc.POLLIN };
                var i = 1;
                foreach (var pidFd in _byPidFd.Keys) fds[i++] = new Libc.PollFd { Fd = pidFd, Events = Libc.POLLIN };
            }

            int ready;
            fixed (Libc.PollFd* p = fds) ready = Libc.Poll(p, (nuint)count, -1);
            if (ready < 0) continue; // EINTR; nothing else is expected of a poll on valid descriptors

            if (fds[0].REvents != 0)
            {
                long drained;
                Libc.Read(_wake, (byte*)&drained, sizeof(long));
            }

            for (var i = 1; i < count; i++)
            {
                if (fds[i].REvents == 0) continue;
                Watched watched;
                int status, reaped;
                lock (_gate)
                {
                    if (!_byPidFd.Remove(fds[i].Fd, out watched)) continue;
                    // Reaped under the lock, so TryReapUnwatched never takes it in between.
                    reaped = Libc.WaitPid(watched.Pid, &status, Libc.WNOHANG);
                    _pids.Remove(watched.Pid);
                }
                Libc.Close(fds[i].Fd);
                watched.Exited.TrySetResult(reaped == watched.Pid ? Libc.ExitCode(status) : -1);
            }
        }
    }

    private readonly record struct Watched(int Pid, TaskCompletionSource<int> Exited);
}
