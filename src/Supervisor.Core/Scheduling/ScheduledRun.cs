namespace Supervisor.Core.Scheduling;

/// <summary>
/// One planned run of a job. <see cref="NominalDue"/> is the schedule's own time (the cron
/// occurrence or the interval tick) and the base for the next one, so schedules never drift.
/// <see cref="FireAt"/> is when to actually start: the nominal time plus <see cref="Jitter"/>,
/// moved to the opening of the active-hours window when it falls outside.
/// </summary>
public sealed record ScheduledRun(DateTimeOffset NominalDue, DateTimeOffset FireAt, TimeSpan Jitter)
{
    /// <summary>The trigger of a run owed outside the schedule ("reset"); null = "missed" for an owed run.</summary>
    public string? Trigger { get; init; }

    /// <summary>For a catch-up run: the due time that was missed (its SUP_SCHEDULED_AT).</summary>
    public DateTimeOffset? MissedDue { get; init; }
}
