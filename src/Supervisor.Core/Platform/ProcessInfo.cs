namespace Supervisor.Core.Platform;

/// <summary>
/// One process as the kernel sees it at one moment. Times are in clock ticks
/// (<see cref="IProcessControl.TicksPerSecond"/>); <see cref="StartTimeTicks"/> counts from boot
/// (<see cref="IProcessControl.BootTimeUnixSeconds"/>) and, with the pid, identifies the process
/// because pids are reused.
/// </summary>
/// <param name="CpuTicks">User plus system time of the process itself (not of reaped children).</param>
/// <param name="RssBytes">Resident set size.</param>
/// <param name="Command">The kernel's short name of the executable (comm, at most 15 bytes on Linux).</param>
public sealed record ProcessInfo(
    int Pid,
    int ParentPid,
    int ProcessGroupId,
    int SessionId,
    ulong StartTimeTicks,
    ulong CpuTicks,
    long RssBytes,
    string Command,
    char State = 'S')
{
    /// <summary>Exited but not reaped (zombie or dead). PID 1 here may never reap orphans, so this matters.</summary>
    public bool IsZombie => State is 'Z' or 'X';
}
