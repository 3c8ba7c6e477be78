using Microsoft.Extensions.Logging;
using Supervisor.Core.Supervision;

namespace Supervisor.Core.Scheduling;

/// <summary>
/// `sup pause` / `sup resume` as one job sees them: the hold lives in state.json
/// (<see cref="SchedulerPause"/>); the job re-arms so its trigger follows it. A run under way is
/// not touched and finishes; what the schedule skips while paused is not owed as missed.
/// </summary>
public sealed partial class JobSupervisor
{
    /// <summary>Held by `sup pause` (the whole scheduler or this job), persisted in state.json.</summary>
    public bool Paused => _store.Read(s => SchedulerPause.IsPaused(s, _spec.Name));

    /// <summary>Re-arms after the hold in state.json changed: pauses or resumes the trigger.</summary>
    public Task ApplyPauseAsync(CancellationToken cancellationToken) =>
        _commands.RunAsync(async () =>
        {
            var paused = Paused;
            // Paused on purpose, like disabled: nothing it skips counts as missed, even after a restart.
            if (paused) _store.Update(s => State(s).NextDue = null);
            _log.LogInformation("{Job} {Action} by user", Name, paused ? "paused" : "resumed");
            if (!_started) return;
            await DisarmAsync();
            Arm(paused ? "paused by user" : "resumed by user");
        }).WaitAsync(cancellationToken);
}
