namespace Supervisor.Core.Startup;

/// <summary>
/// How long the boot manager lets the daemon stop before killing it. The daemon stops every app
/// in parallel, so its shutdown takes about the longest kill_timeout; the margin covers the
/// daemon's own work, and the floor keeps a later, slower app from being cut short too soon.
/// </summary>
public static class StopBudget
{
    public static readonly TimeSpan Margin = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan Floor = TimeSpan.FromSeconds(30);

    /// <returns>Whole seconds: max(longest kill_timeout + margin, floor).</returns>
    public static TimeSpan For(IEnumerable<TimeSpan> killTimeouts)
    {
        var longest = killTimeouts.DefaultIfEmpty(Config.AppDefaults.KillTimeout).Max();
        var budget = longest + Margin;
        if (budget < Floor) budget = Floor;
        return TimeSpan.FromSeconds(Math.Ceiling(budget.TotalSeconds));
    }
}
