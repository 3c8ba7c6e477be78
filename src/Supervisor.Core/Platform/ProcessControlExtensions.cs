namespace Supervisor.Core.Platform;

public static class ProcessControlExtensions
{
    /// <summary>When the process started, from its boot-relative <see cref="ProcessInfo.StartTimeTicks"/>.
    /// Accurate to one clock tick (10 ms on Linux) plus the whole-second boot time.</summary>
    public static DateTimeOffset GetStartTime(this IProcessControl pc, ProcessInfo info)
    {
        var perSecond = (ulong)pc.TicksPerSecond;
        var seconds = info.StartTimeTicks / perSecond;
        var fraction = info.StartTimeTicks % perSecond * TimeSpan.TicksPerSecond / perSecond;
        return DateTimeOffset.FromUnixTimeSeconds(pc.BootTimeUnixSeconds)
            .AddSeconds(seconds)
            .AddTicks((long)fraction);
    }
}
