namespace Supervisor.Core.Scheduling;

public sealed partial class JobSupervisor
{
    /// <summary>
    /// The next <paramref name="count"/> runs for `sup describe`: the armed run as it will fire
    /// (jitter included), then the nominal due times after it, moved into the active hours.
    /// Later runs draw their own jitter, so only the first is exact. Empty when the job is not
    /// armed on a time schedule (stopped, disabled, on_file).
    /// </summary>
    public IReadOnlyList<DateTimeOffset> UpcomingRuns(int count)
    {
        if (count <= 0 || _view.NextRun is not { } armed) return [];
        JobSchedule? schedule;
        try
        {
            // No jitter: the preview must not consume draws from the job's own Random.
            schedule = JobSchedule.Create(_spec.Job! with { Jitter = TimeSpan.Zero }, new Random(0));
        }
        catch (Exception ex) when (ex is FormatException or SupException)
        {
            return [armed];
        }
        if (schedule is null) return [armed];

        var runs = new List<DateTimeOffset> { armed };
        DateTimeOffset? previous = armed;
        if (_spec.Job!.Jitter > TimeSpan.Zero || _spec.Job.ActiveHours is not null)
        {
            // The armed time was moved off its nominal due time; recompute that from the same
            // inputs the schedule loop used.
            var last = _store.Read(s => s.Jobs.TryGetValue(Name, out var j) ? j.LastNominalDue : null);
            previous = schedule.Next(last, _context.Time.GetUtcNow())?.NominalDue;
        }
        while (runs.Count < count && previous is { } last && schedule.Next(last, last) is { } next)
        {
            runs.Add(next.FireAt);
            previous = next.NominalDue;
        }
        return runs;
    }
}
