using Microsoft.Extensions.Logging;

namespace Supervisor.Core.Supervision;

/// <summary>
/// A service taken up where a daemon that died left it with no child running (issue 13): one
/// backing off waits out what is left of its backoff and starts, one that was starting starts,
/// an errored one stays errored with its reason (its restart_after_errored cool-down begins
/// again). Its restart and fast-crash counts carry over, and so does the doubling: the next
/// fast crash waits what it would have under the dead daemon.
/// </summary>
public sealed partial class ServiceSupervisor
{
    /// <summary>Used by the first execution of a resumed run instead of <see cref="_backoff"/> (see RunAsync).</summary>
    private Polly.ResiliencePipeline<RunOutcome>? _resumedBackoff;

    public Task ResumeAsync(ResumedState resumed, CancellationToken cancellationToken) =>
        _commands.RunAsync(() =>
        {
            if (_run is not null || _state.Status != AppStatus.Stopped) return Task.CompletedTask; // a command got there first
            _state = _state with { Restarts = resumed.Restarts, FastCrashes = resumed.FastCrashes };
            var reason = $"resumed after the previous daemon was lost: {resumed.Reason}";
            _log.LogInformation("{App}: resumed {Status} from the journal ({Restarts} restart(s), {Fast} fast crash(es))",
                _spec.Name, resumed.Status.ToWire(), resumed.Restarts, resumed.FastCrashes);
            if (resumed.Status == AppStatus.Errored)
            {
                _recovering = true;
                Handle(ServiceEvent.ResumedErrored, resumed.Reason);
                if (_spec.RestartAfterErrored is null) return Task.CompletedTask;
                BeginResumedRun(reason, run => CoolDownAsync(run));
                return Task.CompletedTask;
            }

            var now = _context.Time.GetUtcNow();
            var until = resumed.Until is { } u && u > now ? u : now;
            Handle(ServiceEvent.ResumedWaiting, reason, s => s with { WaitingUntil = until });
            if (resumed.FastCrashes > 0) _resumedBackoff = BuildBackoff(_spec, resumed.FastCrashes);
            BeginResumedRun(reason, async run =>
            {
                await Task.Delay(until - now, _context.Time, run.Cancel.Token);
                return true;
            });
            return Task.CompletedTask;
        }).WaitAsync(cancellationToken);

    /// <param name="wait">The wait before the first start; false: stay as is (errored, no cool-down).</param>
    private void BeginResumedRun(string reason, Func<Run, Task<bool>> wait)
    {
        var run = new Run { StartReason = reason };
        _run = run;
        run.Task = ResumedRunAsync(run, wait);
    }

    private async Task ResumedRunAsync(Run run, Func<Run, Task<bool>> wait)
    {
        try
        {
            if (!await wait(run)) return;
        }
        catch (OperationCanceledException) when (run.Cancel.IsCancellationRequested)
        {
            _resumedBackoff = null;
            Handle(ServiceEvent.Stopped, run.StopReason, s => s with { Pid = null, WaitingUntil = null });
            return;
        }
        await RunAsync(run);
    }
}
