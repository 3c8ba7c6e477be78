using Supervisor.Core.Platform;

namespace Supervisor.Core.Supervision;

/// <summary>
/// The stop cascade: <c>stop_signal</c> to the app's process group and to every descendant
/// found through /proc (including ones that left the group with their own setsid), wait up to
/// <c>kill_timeout</c>, then SIGKILL whatever is left. No grandchild survives a stop.
/// </summary>
/// <remarks>
/// The group is always signalled and always watched (kill(-pgid, 0) needs no descriptor), so a stop
/// stays honest when /proc cannot be read, as under `ulimit -n 64` with every descriptor in use:
/// it waits for the group to empty, SIGKILLs it after the timeout, and the outcome says that a
/// process which left the group could not be looked for (issue 14).
/// </remarks>
public sealed class ProcessTreeStopper(IProcessControl control, TimeProvider time)
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(20);

    // After SIGKILL the kernel tears processes down almost at once; this bound only guards
    // against a process stuck in uninterruptible sleep (D state) hanging a stop forever.
    private static readonly TimeSpan AfterKillGrace = TimeSpan.FromSeconds(3);

    /// <summary>Other processes of the app found elsewhere (adopted orphans), stopped with its tree.</summary>
    public Func<IReadOnlyList<int>>? Extra { get; init; }

    /// <param name="rootExited">Completes when the root process has been reaped.</param>
    public async Task<StopOutcome> StopAsync(int rootPid, Task rootExited, int signal, TimeSpan killTimeout, CancellationToken cancellationToken)
    {
        var members = CaptureTree(rootPid, out var blind);
        SignalAll(rootPid, members, signal);

        var deadline = time.GetUtcNow() + killTimeout;
        while (time.GetUtcNow() < deadline)
        {
            if (AllGone(rootPid, rootExited, members, ref blind))
                return new StopOutcome(Killed: false, blind is null ? null : Blind(blind));
            await Task.WhenAny(rootExited, Task.Delay(Poll, time, cancellationToken));
            cancellationToken.ThrowIfCancellationRequested();
        }

        // Re-scan: the tree may have grown while it was shutting down.
        var lateMembers = CaptureTree(rootPid, out var lateBlind);
        foreach (var late in lateMembers)
            if (!members.Exists(m => m.Pid == late.Pid)) members.Add(late);
        blind ??= lateBlind;
        SignalAll(rootPid, members, Signals.SIGKILL);

        var killDeadline = time.GetUtcNow() + AfterKillGrace;
        while (time.GetUtcNow() < killDeadline)
        {
            if (AllGone(rootPid, rootExited, members, ref blind))
                return new StopOutcome(Killed: true, blind is null ? null : Blind(blind));
            await Task.WhenAny(rootExited, Task.Delay(Poll, time, cancellationToken));
            SignalAll(rootPid, members, Signals.SIGKILL); // a fork racing the first SIGKILL
        }

        var left = members.Count(IsRunning) + (rootExited.IsCompleted ? 0 : 1);
        return new StopOutcome(Killed: true,
            $"processes of the app were still there {AfterKillGrace.TotalSeconds:0}s after SIGKILL ({(left > 0 ? $"{left} known" : "its process group is not empty")})"
            + (blind is null ? "" : "; " + Blind(blind)));
    }

    /// <summary>
    /// After the root died on its own, its group may still hold children it left behind.
    /// Stop them so a restart never leaves two generations running.
    /// </summary>
    public async Task<StopOutcome?> StopLeftoversAsync(int rootPid, int signal, TimeSpan killTimeout, CancellationToken cancellationToken)
    {
        var members = CaptureTree(rootPid, out var blind);
        if (members.Count == 0 && (blind is null || !control.SignalGroup(rootPid, 0))) return null;
        return await StopAsync(rootPid, Task.CompletedTask, signal, killTimeout, cancellationToken);
    }

    private static string Blind(string why) =>
        $"/proc could not be read ({why}), so only the app's process group was signalled and watched";

    private List<ProcessIdentity> CaptureTree(int rootPid, out string? blind)
    {
        blind = null;
        var list = new List<ProcessIdentity>();
        IEnumerable<int> pids;
        try
        {
            pids = control.GetProcessTree(rootPid);
        }
        catch (IOException ex)
        {
            blind = ex.Message;
            pids = control.IsAlive(rootPid) ? [rootPid] : [];
        }

        IReadOnlyList<int> extra = [];
        try
        {
            extra = Extra?.Invoke() ?? [];
        }
        catch (IOException ex)
        {
            blind ??= ex.Message; // the scan for adopted orphans could not read /proc either
        }
        if (extra.Count > 0)
            pids = pids.Concat(ExtraTrees(extra));

        foreach (var pid in pids.Distinct())
        {
            if (control.TryGetInfo(pid) is { } info)
            {
                if (!info.IsZombie) list.Add(new ProcessIdentity(pid, info.StartTimeTicks));
            }
            else if (control.IsAlive(pid))
            {
                list.Add(new ProcessIdentity(pid, UnknownStart)); // alive, but /proc would not say more
            }
        }
        return list;
    }

    private IEnumerable<int> ExtraTrees(IReadOnlyList<int> roots)
    {
        foreach (var root in roots)
        {
            IReadOnlyList<int> tree;
            try { tree = control.GetProcessTree(root); }
            catch (IOException) { tree = [root]; }
            foreach (var pid in tree) yield return pid;
        }
    }

    private const ulong UnknownStart = ulong.MaxValue;

    /// <summary>
    /// The root reaped, no member running, and nothing left in the group: from /proc (which tells
    /// a zombie from a live process) or, when /proc cannot be read, from kill(-pgid, 0).
    /// </summary>
    private bool AllGone(int rootPid, Task rootExited, List<ProcessIdentity> members, ref string? blind)
    {
        if (!rootExited.IsCompleted || members.Exists(IsRunning)) return false;
        try
        {
            foreach (var pid in control.GetProcessTree(rootPid))
                if (IsRunning(new ProcessIdentity(pid, UnknownStart)))
                    return false;
            return true;
        }
        catch (IOException ex)
        {
            blind ??= ex.Message;
            return !control.SignalGroup(rootPid, 0);
        }
    }

    private void SignalAll(int rootPid, List<ProcessIdentity> members, int signal)
    {
        // The group first: one syscall reaches every process that stayed in the app's group,
        // including ones forked after the snapshot.
        control.SignalGroup(rootPid, signal);
        foreach (var member in members)
            if (IsRunning(member)) control.Signal(member.Pid, signal);
    }

    /// <summary>Alive, same process (start time matches, so not a reused PID), and not a zombie.</summary>
    private bool IsRunning(ProcessIdentity identity) => control.TryGetInfo(identity.Pid) switch
    {
        { } info => !info.IsZombie && (identity.StartTimeTicks == UnknownStart || info.StartTimeTicks == identity.StartTimeTicks),
        null => control.IsAlive(identity.Pid), // gone, or /proc unreadable: kill(pid, 0) decides
    };
}

/// <param name="Killed">SIGKILL was needed: something was still running at the end of kill_timeout.</param>
/// <param name="Doubt">
/// Null when every process of the app was seen to end; otherwise what could not be confirmed, in
/// words for daemon.log and the app's reason.
/// </param>
public sealed record StopOutcome(bool Killed, string? Doubt);
