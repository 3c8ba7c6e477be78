using Microsoft.Extensions.Logging;
using Supervisor.Core.Events;

namespace Supervisor.Core.Scheduling;

/// <summary>
/// What a job tells the event stream: a run started, ended (succeeded, or failed after its
/// retries; a stopped run is neither), or was skipped because the last one still ran. And
/// `sup reset JOB`.
/// </summary>
public sealed partial class JobSupervisor
{
    private void Raise(EventKind kind, string reason, int? exitCode = null, string? runId = null) =>
        _context.Events?.Publish(new SupEvent(_context.Time.GetUtcNow(), kind, EventSource.Job, Name, reason) { ExitCode = exitCode, RunId = runId });

    /// <param name="failedBefore">The job's last run before this one had failed.</param>
    private void RaiseEnd(JobAttemptResult result, bool failedBefore, string runId)
    {
        if (result.Stopped) return;
        if (result.Succeeded)
        {
            Raise(EventKind.Succeeded, result.Summary, result.ExitCode, runId);
            if (failedBefore) Raise(EventKind.Recovered, "succeeded after a failed run", runId: runId);
        }
        else Raise(EventKind.Failed, result.Summary, result.ExitCode, runId);
    }

    /// <summary>
    /// `sup reset JOB`: zero its failure and skip counts and forget the last error, and run it at
    /// the next check: at once when it is armed on a schedule (the run counts as trigger "reset"),
    /// otherwise when it is next started or enabled.
    /// </summary>
    public Task ResetAsync(CancellationToken cancellationToken) =>
        _commands.RunAsync(async () =>
        {
            _store.Update(s =>
            {
                var state = State(s);
                state.FailureCount = 0;
                state.SkippedCount = 0;
                state.LastError = null;
            });
            _log.LogInformation("{Job}: counters reset by user; runs on the next check", Name);
            if (_spec.Job!.OnFile is not null) return; // a file job runs per file, not per check
            _runOnNextArm = true;
            if (_trigger is null) return; // not armed: the next arm runs it
            await DisarmAsync();
            Arm("reset by user");
        }).WaitAsync(cancellationToken);

    /// <summary>Set by a reset: the next arm of the schedule runs the job at once.</summary>
    private bool _runOnNextArm;

    /// <summary>The run a reset owes, taken by the next arm.</summary>
    private ScheduledRun? TakeResetRun()
    {
        if (!_runOnNextArm) return null;
        _runOnNextArm = false;
        var now = _context.Time.GetUtcNow();
        return new ScheduledRun(now, now, TimeSpan.Zero) { Trigger = "reset" };
    }
}
