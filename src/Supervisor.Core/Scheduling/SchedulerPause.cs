using Supervisor.Core.Daemon;

namespace Supervisor.Core.Scheduling;

/// <summary>
/// `sup pause` / `sup resume`: holds the schedules of all jobs, or of named ones, in state.json so
/// the hold survives a daemon restart. Services are not touched; a run under way finishes; `sup
/// run` still runs a paused job (an override, as for a disabled one). Resuming the whole scheduler
/// also resumes the jobs paused by name.
/// </summary>
public sealed class SchedulerPause(StateStore store)
{
    public bool AllPaused => store.Read(s => s.SchedulerPaused);

    public bool IsPaused(string job) => store.Read(s => IsPaused(s, job));

    public static bool IsPaused(DaemonState state, string job) =>
        state.SchedulerPaused || state.PausedJobs.Contains(job, StringComparer.Ordinal);

    public void PauseAll() => store.Update(s => s.SchedulerPaused = true);

    public void ResumeAll() => store.Update(s =>
    {
        s.SchedulerPaused = false;
        s.PausedJobs.Clear();
    });

    public void Pause(IEnumerable<string> jobs) => store.Update(s =>
    {
        foreach (var job in jobs)
            if (!s.PausedJobs.Contains(job, StringComparer.Ordinal)) s.PausedJobs.Add(job);
    });

    /// <exception cref="SupException">The whole scheduler is paused: a job cannot be let out of that alone.</exception>
    public void Resume(IReadOnlyCollection<string> jobs)
    {
        if (AllPaused)
            throw new SupException(SupError.Conflict,
                $"All jobs are paused, so '{jobs.First()}' cannot be resumed alone. `sup resume` resumes every job.");
        store.Update(s => s.PausedJobs.RemoveAll(j => jobs.Contains(j, StringComparer.Ordinal)));
    }
}
