namespace Supervisor.Core.Platform;

/// <summary>
/// A process told apart from later processes that reuse its pid, by its start time.
/// <see cref="StartTimeTicks"/> is 0 where the OS cannot tell start times (no /proc).
/// </summary>
public sealed record ProcessIdentity(int Pid, ulong StartTimeTicks)
{
    /// <summary>The identity of the process running as <paramref name="pid"/> now, or null if none is.</summary>
    public static ProcessIdentity? Capture(IProcessControl pc, int pid)
    {
        if (pc.TryGetInfo(pid) is { } info)
        {
            return pc.IsAlive(pid) ? new ProcessIdentity(pid, info.StartTimeTicks) : null;
        }

        return pc.IsAlive(pid) ? new ProcessIdentity(pid, 0) : null;
    }

    /// <summary>True only while the very process captured still runs: alive, and started at the same tick.</summary>
    public bool IsSameProcessAlive(IProcessControl pc)
    {
        if (!pc.IsAlive(Pid))
        {
            return false;
        }

        // Without start times (StartTimeTicks 0 and no info) liveness is all there is to go on.
        return pc.TryGetInfo(Pid) is { } info ? info.StartTimeTicks == StartTimeTicks : StartTimeTicks == 0;
    }
}
