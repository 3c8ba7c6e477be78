using Microsoft.Extensions.Logging;
using Supervisor.Core.Supervision;

namespace Supervisor.Core.Scheduling;

public sealed partial class JobSupervisor
{
    // Timers run on the monotonic clock, which stops while the machine sleeps; waking every
    // minute lets a wall-clock jump be seen promptly instead of after a long stale wait.
    private static readonly TimeSpan MaxWait = TimeSpan.FromMinutes(1);
    // A due time reached this late means the machine slept or the daemon was stalled.
    private static readonly TimeSpan LateTolerance = TimeSpan.FromMinutes(1);

    private SemaphoreSlim? _fileSlots;

    /// <summary>Arms the trigger (called inside a command).</summary>
    private void Arm(string reason)
    {
        if (_armed is not null) return;
        var job = _spec.Job!;
        var enabled = Enabled;
        var firstArm = _firstArm;
        _firstArm = false;
        _armed = new CancellationTokenSource();
        var token = _armed.Token;

        if (!enabled)
        {
            Transition(AppStatus.Disabled, reason, v => v with { NextRun = null });
            return;
        }

        JobSchedule? schedule = null;
        if (job.OnFile is null)
        {
            try
            {
                schedule = JobSchedule.Create(job, _random);
            }
            catch (Exception ex) when (ex is FormatException or SupException)
            {
                Transition(AppStatus.Errored, "schedule invalid: " + ex.Message);
                return;
            }
        }

        Transition(_active.Count > 0 ? AppStatus.Running : AppStatus.Scheduled, reason);

        if (firstArm && job.RunMissed && WasMissed())
        {
            _log.LogInformation("{Job}: a run was due while the daemon was down; running once now", Name);
            TryBeginRun("missed", file: null);
        }

        _scheduleLoop = job.OnFile is { } onFile
            ? WatchFilesAsync(onFile, job.Concurrency, token)
            : ScheduleLoopAsync(schedule!, token);
    }

    private async Task DisarmAsync()
    {
        if (_armed is not { } armed) return;
        _armed = null;
        await armed.CancelAsync();
        try { await _scheduleLoop; }
        catch (OperationCanceledException) { }
        armed.Dispose();
        SetNextRun(null);
    }

    private bool WasMissed()
    {
        var due = _store.Read(s => s.Jobs.TryGetValue(Name, out var j) ? j.NextDue : null);
        return MissedRuns.WasMissed(due, _context.Time.GetUtcNow());
    }

    private async Task ScheduleLoopAsync(JobSchedule schedule, CancellationToken cancellationToken)
    {
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var now = _context.Time.GetUtcNow();
                var last = _store.Read(s => s.Jobs.TryGetValue(Name, out var j) ? j.LastNominalDue : null);
                var next = schedule.Next(last, now);
                if (next is null)
                {
                    _log.LogWarning("{Job}: the schedule has no future run", Name);
                    SetNextRun(null);
                    return;
                }

                SetNextRun(next.FireAt);
                _store.Update(s => State(s).NextDue = next.FireAt);
                if (next.Jitter > TimeSpan.Zero)
                    _log.LogInformation("{Job}: next run {At:O} (due {Due:O}, jitter +{Jitter})",
                        Name, next.FireAt, next.NominalDue, Config.Duration.Format(next.Jitter));

                await WaitUntilAsync(next.FireAt, cancellationToken);

                var woke = _context.Time.GetUtcNow();
                _store.Update(s => State(s).LastNominalDue = next.NominalDue);
                var trigger = _spec.Job!.Cron is not null ? "cron" : "every";
                if (MissedRuns.IsWallClockJump(next.FireAt, woke, LateTolerance))
                {
                    if (!_spec.Job!.RunMissed)
                    {
                        _log.LogWarning("{Job}: run due {Due:O} was missed (machine asleep or daemon stalled); run_missed is off",
                            Name, next.FireAt);
                        continue;
                    }
                    trigger = "missed";
                }

                await _commands.RunAsync(() =>
                {
                    if (_armed is null || _armed.IsCancellationRequested) return Task.CompletedTask;
                    if (!TryBeginRun(trigger, file: null))
                    {
                        _store.Update(s => State(s).SkippedCount++);
                        _log.LogWarning("{Job}: run due {Due:O} skipped: the previous run is still going", Name, next.FireAt);
                    }
                    return Task.CompletedTask;
                });
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private async Task WaitUntilAsync(DateTimeOffset at, CancellationToken cancellationToken)
    {
        while (true)
        {
            var left = at - _context.Time.GetUtcNow();
            if (left <= TimeSpan.Zero) return;
            await Task.Delay(left < MaxWait ? left : MaxWait, _context.Time, cancellationToken);
        }
    }

    private async Task WatchFilesAsync(Config.OnFileSpec onFile, int concurrency, CancellationToken cancellationToken)
    {
        _fileSlots = new SemaphoreSlim(concurrency, concurrency);
        var watcher = new FileDropWatcher(onFile.Path, onFile.Pattern, _context.Time);
        try
        {
            await watcher.RunAsync(async (path, ct) =>
            {
                // Files wait for a free slot (concurrency), they are never dropped.
                await _fileSlots.WaitAsync(ct);
                await _commands.RunAsync(() =>
                {
                    if (!TryBeginRun("file", path)) _fileSlots.Release();
                    return Task.CompletedTask;
                });
            }, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }
}
