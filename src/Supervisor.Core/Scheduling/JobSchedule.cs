using Supervisor.Core.Config;

namespace Supervisor.Core.Scheduling;

/// <summary>
/// When a job runs next: its cron expression or interval, shifted by jitter and held to its active
/// hours. Pure: the caller passes "now" and the previous nominal due time, and keeps the result.
/// </summary>
/// <remarks>
/// <para>Due times are nominal (the schedule's own times, not when a run finished), so a schedule
/// never drifts; jitter and active hours only move <see cref="ScheduledRun.FireAt"/>.</para>
/// <para>A due time is never in the past: after downtime the schedule continues from now, and
/// whether to catch up once is the caller's decision (<see cref="MissedRuns"/>). A due time equal
/// to now counts as due now.</para>
/// <para>Not thread-safe: it draws from the <see cref="Random"/> it was given. One owner per job.</para>
/// </remarks>
public sealed class JobSchedule
{
    private readonly Random _random;

    public JobSchedule(CronExpression? cron, TimeSpan? every, TimeSpan jitter, ActiveHours? activeHours, TimeZoneInfo zone, Random random)
    {
        if ((cron is null) == (every is null))
        {
            throw new ArgumentException("A job schedule needs exactly one of a cron expression and an interval.");
        }
        if (every is { } interval && interval <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(every), every, "The interval must be positive.");
        }
        ArgumentOutOfRangeException.ThrowIfLessThan(jitter, TimeSpan.Zero);
        ArgumentNullException.ThrowIfNull(zone);
        ArgumentNullException.ThrowIfNull(random);

        Cron = cron;
        Every = every;
        Jitter = jitter;
        ActiveHours = activeHours;
        Zone = zone;
        _random = random;
    }

    public CronExpression? Cron { get; }
    public TimeSpan? Every { get; }

    /// <summary>The largest random delay added to each run (uniform over 0..Jitter, in whole milliseconds).</summary>
    public TimeSpan Jitter { get; }

    public ActiveHours? ActiveHours { get; }

    /// <summary>The zone of the cron expression and the active hours.</summary>
    public TimeZoneInfo Zone { get; }

    /// <summary>
    /// The schedule of a job, or null when the job has no time trigger (an on_file job).
    /// </summary>
    /// <exception cref="SupException">The spec holds an invalid expression, window or zone, or both cron and every.</exception>
    public static JobSchedule? Create(JobSpec spec, Random random)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.Cron is null && spec.Every is null)
        {
            return null;
        }
        if (spec.Cron is not null && spec.Every is not null)
        {
            throw new SupException(SupError.InvalidConfig, "A job cannot have both 'cron' and 'every'; keep one of them.");
        }

        var zone = TimeZones.Find(spec.Timezone);
        CronExpression? cron = null;
        if (spec.Cron is not null && !CronExpression.TryParse(spec.Cron, out cron, out var cronError))
        {
            throw new SupException(SupError.InvalidConfig, cronError);
        }
        ActiveHours? window = null;
        if (spec.ActiveHours is not null && !Scheduling.ActiveHours.TryParse(spec.ActiveHours, out window, out var windowError))
        {
            throw new SupException(SupError.InvalidConfig, windowError);
        }
        return new JobSchedule(cron, spec.Every, spec.Jitter, window, zone, random);
    }

    /// <summary>
    /// The next run, or null when a cron expression never fires again.
    /// </summary>
    /// <param name="previousNominalDue">The nominal due time of the last scheduled run, or null for the first.</param>
    /// <param name="now">The current time.</param>
    /// <remarks>
    /// <para>Cron: the first occurrence strictly after <paramref name="previousNominalDue"/> (after
    /// <paramref name="now"/> for the first run), but not before <paramref name="now"/>: if the
    /// previous due time is long past, the occurrences in between are skipped.</para>
    /// <para>Every: the first run is one interval after <paramref name="now"/> (a job with
    /// <c>every: 6h</c> first runs 6 h after it is started; <c>sup run</c> or run_missed run it
    /// sooner). Then each due time is the previous one plus the interval, advanced by whole
    /// intervals until it is not before <paramref name="now"/>.</para>
    /// <para>Jitter: one uniform draw per run, added to the nominal time. Active hours: a fire time
    /// outside the window moves to the window's next opening.</para>
    /// </remarks>
    public ScheduledRun? Next(DateTimeOffset? previousNominalDue, DateTimeOffset now)
    {
        var nominal = Cron is not null ? NextCronDue(Cron, previousNominalDue, now) : NextIntervalDue(Every!.Value, previousNominalDue, now);
        if (nominal is not { } due)
        {
            return null;
        }

        var jitter = DrawJitter();
        var fireAt = due <= DateTimeOffset.MaxValue - jitter ? due + jitter : DateTimeOffset.MaxValue;
        if (ActiveHours is { } window)
        {
            fireAt = window.NextAllowed(fireAt, Zone);
        }
        return new ScheduledRun(due, fireAt, jitter);
    }

    private DateTimeOffset? NextCronDue(CronExpression cron, DateTimeOffset? previous, DateTimeOffset now)
    {
        if (previous is not { } last)
        {
            return cron.GetNextOccurrence(now, Zone);
        }
        // Searching from one tick before now keeps an occurrence exactly at now: it is due, not missed.
        var notBeforeNow = now.AddTicks(-1);
        return cron.GetNextOccurrence(last > notBeforeNow ? last : notBeforeNow, Zone);
    }

    private static DateTimeOffset? NextIntervalDue(TimeSpan every, DateTimeOffset? previous, DateTimeOffset now)
    {
        var basis = previous ?? now;
        if (basis > DateTimeOffset.MaxValue - every)
        {
            return null;
        }
        var due = basis + every;
        if (due < now)
        {
            var behind = (now - due).Ticks;
            var intervals = behind / every.Ticks + (behind % every.Ticks == 0 ? 0 : 1);
            due = due.AddTicks(intervals * every.Ticks);
        }
        return due;
    }

    private TimeSpan DrawJitter()
    {
        if (Jitter <= TimeSpan.Zero)
        {
            return TimeSpan.Zero;
        }
        var maxMilliseconds = (long)Jitter.TotalMilliseconds;
        return TimeSpan.FromMilliseconds(_random.NextInt64(0, maxMilliseconds + 1));
    }
}
