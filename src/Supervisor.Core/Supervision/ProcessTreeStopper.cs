using Supervisor.Core.Platform;

namespace Supervisor.Core.Supervision;

/// <summary>
/// The stop cascade: <c>stop_signal</c> to the app's process group and to every descendant
/// found through /proc (including ones that left the group with their own setsid), wait up to
/// <c>kill_timeout</c>, then SIGKILL whatever is left. No grandchild survives a stop.
/// </summary>
public sealed class ProcessTreeStopper(IProcessControl control, TimeProvider time)
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(20);

    // After SIGKILL the kernel tears processes down almost at once; this bound only guards
    // against a process stuck in uninterruptible sleep (D state) hanging a stop forever.
    private static readonly TimeSpan AfterKillGrace = TimeSpan.FromSeconds(3);

    /// <param name="rootExited">Completes when the root process has been reaped.</param>
    /// <returns>True when everything ended within the timeout, false when SIGKILL was needed.</returns>
    public async Task<bool> StopAsync(int rootPid, Task rootExited, int signal, TimeSpan killTimeout, CancellationToken cancellationToken)
    {
        var members = CaptureTree(rootPid);
        SignalAll(rootPid, members, signal);

        var deadline = time.GetUtcNow() + killTimeout;
        while (time.GetUtcNow() < deadline)
        {
            if (rootExited.IsCompleted && members.TrueForAll(m => !IsRunning(m)) && !GroupHasMembers(rootPid))
                return true;
            await Task.WhenAny(rootExited, Task.Delay(Poll, time, cancellationToken));
            cancellationToken.ThrowIfCancellationRequested();
        }

        // Re-scan: the tree may have grown while it was shutting down.
        foreach (var late in CaptureTree(rootPid))
            if (!members.Exists(m => m.Pid == late.Pid)) members.Add(late);
        SignalAll(rootPid, members, Signals.SIGKILL);

        var killDeadline = time.GetUtcNow() + AfterKillGrace;
        while (time.GetUtcNow() < killDeadline
               && !(rootExited.IsCompleted && members.TrueForAll(m => !IsRunning(m))))
            await Task.WhenAny(rootExited, Task.Delay(Poll, time, cancellationToken));
        return false;
    }

    /// <summary>
    /// After the root died on its own, its group may still hold children it left behind.
    /// Stop them so a restart never leaves two generations running.
    /// </summary>
    public async Task StopLeftoversAsync(int rootPid, int signal, TimeSpan killTimeout, CancellationToken cancellationToken)
    {
        if (CaptureTree(rootPid).Count == 0) return;
        await StopAsync(rootPid, Task.CompletedTask, signal, killTimeout, cancellationToken);
    }

    private List<ProcessIdentity> CaptureTree(int rootPid)
    {
        var list = new List<ProcessIdentity>();
        foreach (var pid in control.GetProcessTree(rootPid))
        {
            var info = control.TryGetInfo(pid);
            if (info is null || info.IsZombie) continue;
            list.Add(new ProcessIdentity(pid, info.StartTimeTicks));
        }
        return list;
    }

    private void SignalAll(int rootPid, List<ProcessIdentity> members, int signal)
    {
        // The group first: one syscall reaches every process that stayed in the app's group,
        // including ones forked after the snapshot.
        control.SignalGroup(rootPid, signal);
        foreach (var member in members)
            if (IsRunning(member)) control.Signal(member.Pid, signal);
    }

    private bool GroupHasMembers(int rootPid)
    {
        foreach (var pid in control.GetProcessTree(rootPid))
            if (control.TryGetInfo(pid) is { IsZombie: false }) return true;
        return false;
    }

    /// <summary>Alive, same process (start time matches, so not a reused PID), and not a zombie.</summary>
    private bool IsRunning(ProcessIdentity identity) =>
        control.TryGetInfo(identity.Pid) is { IsZombie: false } info && info.StartTimeTicks == identity.StartTimeTicks;
}
