namespace Supervisor.Core.Config;

/// <summary>
/// The longest value each duration key accepts (docs/ecosystem.md, "Limits"). .NET timers
/// refuse delays beyond about 49.7 days (uint milliseconds), so a longer restart_delay used to
/// pass the loader and then error the app with a stack trace; a kill_timeout of years made
/// `sup kill` wait as long (issue 14). Each bound is generous for its key's real uses.
/// </summary>
public static class DurationLimits
{
    /// <summary>The bound for a key not listed: below every timer limit.</summary>
    public static readonly TimeSpan Default = TimeSpan.FromDays(1);

    private static readonly Dictionary<string, TimeSpan> ByKey = new(StringComparer.Ordinal)
    {
        ["min_uptime"] = TimeSpan.FromDays(1),
        ["restart_delay"] = TimeSpan.FromDays(1),
        ["exp_backoff_restart_delay"] = TimeSpan.FromDays(1),
        ["kill_timeout"] = TimeSpan.FromHours(1),
        // The scheduler waits in steps, so an interval may exceed the timer limit.
        ["every"] = TimeSpan.FromDays(366),
        ["jitter"] = TimeSpan.FromDays(1),
        ["retry.delay"] = TimeSpan.FromDays(1),
    };

    /// <summary>Every bounded key and its bound, for the docs test.</summary>
    public static IReadOnlyDictionary<string, TimeSpan> All => ByKey;

    public static TimeSpan MaxFor(string key) => ByKey.TryGetValue(key, out var max) ? max : Default;
}
