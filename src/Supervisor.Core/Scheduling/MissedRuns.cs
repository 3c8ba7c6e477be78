namespace Supervisor.Core.Scheduling;

/// <summary>
/// Rules for runs that did not happen because the daemon was down or the machine slept.
/// A job with run_missed runs ONCE for any number of missed slots (trigger "missed"), then
/// continues with its schedule from now.
/// </summary>
public static class MissedRuns
{
    /// <summary>
    /// True when <paramref name="lastNominalDue"/> (the next due time recorded before the downtime)
    /// has passed without a run. A due time equal to <paramref name="now"/> is due, not missed.
    /// </summary>
    public static bool WasMissed(DateTimeOffset? lastNominalDue, DateTimeOffset now) =>
        lastNominalDue is { } due && due < now;

    /// <summary>
    /// True when a timer that should have fired at <paramref name="expected"/> fired at
    /// <paramref name="actual"/> more than <paramref name="tolerance"/> away: the machine slept or the
    /// wall clock was changed (either way), so schedules must be recomputed from the actual time.
    /// </summary>
    public static bool IsWallClockJump(DateTimeOffset expected, DateTimeOffset actual, TimeSpan tolerance)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(tolerance, TimeSpan.Zero);
        return (actual - expected).Duration() > tolerance;
    }
}
