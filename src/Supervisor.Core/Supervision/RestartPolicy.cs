using Supervisor.Core.Config;

namespace Supervisor.Core.Supervision;

/// <summary>
/// The restart rule of SPEC section 3, pure: given how long the process lived, how it exited
/// and how many fast crashes came just before, decide whether and when to start it again.
/// <see cref="ServiceSupervisor"/> applies the decision through a Polly retry pipeline.
/// </summary>
public sealed class RestartPolicy(AppSpec spec)
{
    // A backoff beyond a day is a configuration accident, not an intent; cap it so the
    // doubling cannot overflow TimeSpan with a large max_restarts.
    public static readonly TimeSpan MaxBackoff = TimeSpan.FromDays(1);

    public RestartDecision Decide(TimeSpan uptime, int exitCode, int previousFastCrashes)
    {
        var fast = uptime < spec.MinUptime;
        var fastCrashes = fast ? previousFastCrashes + 1 : 0;

        if (!spec.Autorestart)
            return new(RestartAction.Stay, TimeSpan.Zero, fastCrashes, $"exited with {Describe(exitCode)}; autorestart is off");

        if (spec.StopExitCodes.Contains(exitCode))
            return new(RestartAction.Stay, TimeSpan.Zero, fastCrashes, $"exited with {Describe(exitCode)}, listed in stop_exit_codes");

        if (!fast)
            return new(RestartAction.Restart, spec.RestartDelay, 0, $"exited with {Describe(exitCode)} after {Format(uptime)}");

        if (fastCrashes >= spec.MaxRestarts)
            return new(RestartAction.GiveUp, TimeSpan.Zero, fastCrashes,
                $"{fastCrashes} fast crashes, last {Describe(exitCode)}");

        return new(RestartAction.Restart, BackoffAfter(fastCrashes), fastCrashes,
            $"fast crash {fastCrashes} of {spec.MaxRestarts} ({Describe(exitCode)} after {Format(uptime)})");
    }

    /// <summary>Backoff after fast crash <paramref name="n"/> (1-based): base * 2^(n-1).</summary>
    public TimeSpan BackoffAfter(int n)
    {
        if (n < 1) return TimeSpan.Zero;
        var factor = Math.Pow(2, n - 1);
        var ticks = spec.ExpBackoffRestartDelay.Ticks * factor;
        return ticks >= MaxBackoff.Ticks ? MaxBackoff : TimeSpan.FromTicks((long)ticks);
    }

    private static string Describe(int exitCode) =>
        exitCode > 128 && exitCode < 128 + 65
            ? $"exit code {exitCode} ({Platform.Signals.Name(exitCode - 128)})"
            : $"exit code {exitCode}";

    private static string Format(TimeSpan t) =>
        t.TotalSeconds < 1 ? $"{t.TotalMilliseconds:0}ms"
        : t.TotalMinutes < 1 ? $"{t.TotalSeconds:0.#}s"
        : t.TotalHours < 1 ? $"{(int)t.TotalMinutes}m {t.Seconds}s"
        : $"{(int)t.TotalHours}h {t.Minutes}m";
}
