using Supervisor.Core.Protocol;
using Supervisor.Core.Scheduling;

namespace Supervisor.Core.Daemon;

/// <summary>`pause` / `resume`: the hold is written to state.json first, then each job re-arms to follow it.</summary>
public sealed partial class DaemonMethods
{
    public Task<PauseResult> PauseAsync(string[]? names, CancellationToken cancellationToken) =>
        SetPausedAsync(names, paused: true, cancellationToken);

    public Task<PauseResult> ResumeAsync(string[]? names, CancellationToken cancellationToken) =>
        SetPausedAsync(names, paused: false, cancellationToken);

    private async Task<PauseResult> SetPausedAsync(string[]? names, bool paused, CancellationToken cancellationToken)
    {
        var pause = context.Pause ?? throw new SupException(SupError.NotSupported, "This daemon cannot pause jobs.");
        var all = names is null || names.Length == 0 || (names.Length == 1 && names[0] == "all");
        // Every name is checked before anything changes: a typo pauses nothing.
        var jobs = all ? registry.All.OfType<JobSupervisor>().ToList() : names!.Distinct(StringComparer.Ordinal).Select(Job).ToList();
        if (all)
        {
            if (paused) pause.PauseAll();
            else pause.ResumeAll();
        }
        else if (paused) pause.Pause(jobs.Select(j => j.Name));
        else pause.Resume(jobs.Select(j => j.Name).ToList());

        foreach (var job in jobs) await job.ApplyPauseAsync(cancellationToken);
        return new PauseResult(pause.AllPaused, jobs.Select(j => j.Name).ToArray());
    }
}
