using Microsoft.Extensions.Logging;
using Supervisor.Core.Config;
using Supervisor.Core.Supervision;

namespace Supervisor.Core.Scheduling;

/// <summary>
/// The trigger of a cron or every job: one loop that waits for the next fire time, posts the
/// run to the queue, and repeats. It also owns run_missed: once at the first arm after the
/// daemon started (the due time recorded in state.json passed while it was down), and at every
/// wall-clock jump (the machine slept past a due time).
/// </summary>
public sealed partial class JobSupervisor
{
    // Timers run on the monotonic clock, which stops while the machine sleeps; waking at least
    // every minute lets a wall-clock jump be seen promptly instead of after a long stale wait.
    private static readonly TimeSpan MaxWait = TimeSpan.FromMinutes(1);
    // A due time reached this late means the machine slept or the daemon was stalled.
    private static readonly TimeSpan LateTolerance = TimeSpan.FromMinutes(1);

    private CancellationTokenSource? _trigger;
    private Task _triggerLoop = Task.CompletedTask;
    private bool _missedChecked;

    /// <summary>Arms the trigger, or settles in disabled/errored (inside a command).</summary>
    private void Arm(string reason)
    {
        if (_trigger is not null) return;
        var job = _spec.Job!;
        if (!Enabled)
        {
            Handle(JobEvent.Disabled, reason, v => v with { NextRun = null });
            return;
        }
        if (Paused)
        {
            Handle(JobEvent.Paused, reason, v => v with { NextRun = null });
            return;
        }

        JobSchedule? schedule = null;
        if (job.OnFile is null)
        {
            try
            {
                schedule = JobSchedule.Create(job, _random)
                    ?? throw new SupException(SupError.InvalidConfig, "A job needs cron, every or on_file.");
            }
            catch (Exception ex) when (ex is FormatException or SupException)
            {
                Handle(JobEvent.Broken, ex.Message, v => v with { NextRun = null });
                return;
            }
            // Cron has no years, so an expression with no next occurrence never fires at all.
            if (schedule.Cron is { } cron && cron.GetNextOccurrence(_context.Time.GetUtcNow(), schedule.Zone) is null)
            {
                Handle(JobEvent.Broken, $"cron \"{job.Cron}\" never fires: no date matches all its fields. `sup cron \"EXPR\"` previews an expression.",
                    v => v with { NextRun = null });
                return;
            }
        }

        var trigger = new CancellationTokenSource();
        _trigger = trigger;
        Handle(JobEvent.Armed, reason);
        _triggerLoop = schedule is null
            ? WatchFilesAsync(job.OnFile!, trigger.Token)
            : ScheduleLoopAsync(schedule, TakeResetRun() ?? TakeMissedRun(schedule), trigger.Token);
    }

    private async Task DisarmAsync()
    {
        if (_trigger is not { } trigger) return;
        _trigger = null;
        await trigger.CancelAsync();
        try { await _triggerLoop; }
        catch (OperationCanceledException) { }
        catch (Exception ex)
        {
            // Already logged and shown when the loop failed; a stop must still stop.
            _log.LogDebug(ex, "{Job}: trigger loop had failed", Name);
        }
        trigger.Dispose();
        SetNextRun(null);
    }

    /// <summary>
    /// At the first arm in this daemon's life: the catch-up run owed for a due time that passed
    /// while the daemon was down, or null. Later arms (after `sup stop`/`start`, enable, a config
    /// change) owe nothing: the job was paused on purpose.
    /// </summary>
    private ScheduledRun? TakeMissedRun(JobSchedule schedule)
    {
        if (_missedChecked) return null;
        _missedChecked = true;
        var now = _context.Time.GetUtcNow();
        var due = _store.Read(s => s.Jobs.TryGetValue(Name, out var j) ? j.NextDue : null);
        if (!MissedRuns.WasMissed(due, now)) return null;
        if (!_spec.Job!.RunMissed)
        {
            _log.LogInformation("{Job}: the run due {Due:O} was missed while the daemon was down; run_missed is off", Name, due);
            return null;
        }
        _log.LogInformation("{Job}: the run due {Due:O} was missed while the daemon was down; running once", Name, due);
        return CatchUp(schedule, now) with { MissedDue = due };
    }

    /// <summary>The one run for any number of missed slots: now, or when the active hours open.</summary>
    private static ScheduledRun CatchUp(JobSchedule schedule, DateTimeOffset now) =>
        new(now, schedule.ActiveHours?.NextAllowed(now, schedule.Zone) ?? now, TimeSpan.Zero);

    private async Task ScheduleLoopAsync(JobSchedule schedule, ScheduledRun? missed, CancellationToken cancellationToken)
    {
        var timeTrigger = schedule.Cron is not null ? "cron" : "every";
        var pending = missed;
        // The time the last run (or skip) fired: every slot up to it is covered, so a slot that
        // waited for the active hours is not run a second time at the window's start.
        DateTimeOffset? coveredUntil = null;
        try
        {
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var now = _context.Time.GetUtcNow();
                ScheduledRun next;
                var trigger = timeTrigger;
                if (pending is not null)
                {
                    (next, trigger, pending) = (pending, pending.Trigger ?? "missed", null);
                }
                else
                {
                    var last = _store.Read(s => s.Jobs.TryGetValue(Name, out var j) ? j.LastNominalDue : null);
                    var from = coveredUntil is { } covered && covered >= now ? covered.AddTicks(1) : now;
                    if (last is null && schedule.Every is not null)
                    {
                        // The first start anchors the cadence, so `every: 6h` still runs 6 h after it
                        // was first started when the daemon restarts (or reboots) every few hours.
                        last = from;
                        _store.Update(s => State(s).LastNominalDue = from);
                    }
                    if (schedule.Next(last, from) is not { } scheduled)
                    {
                        _log.LogWarning("{Job}: the schedule has no future run", Name);
                        SetNextRun(null);
                        return;
                    }
                    next = scheduled;
                }

                Publish(next, schedule);
                await WaitUntilAsync(next.FireAt, cancellationToken);

                var woke = _context.Time.GetUtcNow();
                coveredUntil = woke;
                SetNextRun(null); // until the next one is known: never a time in the past
                if (trigger is not ("missed" or "reset"))
                {
                    _store.Update(s => State(s).LastNominalDue = next.NominalDue);
                    if (MissedRuns.IsWallClockJump(next.FireAt, woke, LateTolerance))
                    {
                        if (!_spec.Job!.RunMissed)
                        {
                            _log.LogWarning("{Job}: the run due {Due:O} was missed (woke at {Woke:O}: the machine slept or the clock jumped); run_missed is off",
                                Name, next.FireAt, woke);
                            continue;
                        }
                        _log.LogInformation("{Job}: the run due {Due:O} was missed (woke at {Woke:O}: the machine slept or the clock jumped); running once",
                            Name, next.FireAt, woke);
                        var catchUp = CatchUp(schedule, woke);
                        if (catchUp.FireAt > woke)
                        {
                            pending = catchUp;
                            continue;
                        }
                        trigger = "missed";
                    }
                }

                var due = next;
                var runTrigger = trigger;
                await _commands.RunAsync(() =>
                {
                    // Checked on the queue: a stop or re-arm that came first wins.
                    if (!cancellationToken.IsCancellationRequested) BeginScheduledRun(runTrigger, due);
                    return Task.CompletedTask;
                }).WaitAsync(cancellationToken); // never wait on the queue once disarmed: the disarming command holds it
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            await TriggerFailedAsync(ex, cancellationToken);
        }
    }

    /// <summary>A trigger loop that breaks must not fail silently: the job shows errored, with the reason.</summary>
    private async Task TriggerFailedAsync(Exception ex, CancellationToken cancellationToken)
    {
        _log.LogError(ex, "{Job}: trigger failed", Name);
        await _commands.RunAsync(() =>
        {
            if (!cancellationToken.IsCancellationRequested)
                Handle(JobEvent.TriggerFailed, $"trigger failed: {ex.Message}; `sup restart {Name}` arms it again", v => v with { NextRun = null });
            return Task.CompletedTask;
        }).WaitAsync(cancellationToken).ContinueWith(static _ => { }, CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private void BeginScheduledRun(string trigger, ScheduledRun due)
    {
        if (TryBeginRun(trigger, file: null, scheduledAt: trigger == "missed" ? due.MissedDue ?? due.NominalDue : due.NominalDue)) return;
        var running = Array.Find(_active, r => r.File is null);
        _log.LogWarning("{Job}: the {Trigger} run due {Due:O} was skipped: the run started {Started:O} is still going",
            Name, trigger, due.FireAt, running?.StartedAt);
        _store.Update(s => State(s).SkippedCount++);
        Raise(Events.EventKind.Skipped, $"the {trigger} run due {due.FireAt:O} was skipped: the run started {running?.StartedAt:O} is still going");
    }

    /// <summary>Shows and records the next fire time; says why it is not the nominal time.</summary>
    private void Publish(ScheduledRun next, JobSchedule schedule)
    {
        // Logged before it is shown: whoever sees the next run can find why it is then.
        if (next.Jitter > TimeSpan.Zero)
            _log.LogInformation("{Job}: next run due {Due:O}, jitter +{Jitter}", Name, next.NominalDue, Duration.Format(next.Jitter));
        if (next.FireAt > next.NominalDue + next.Jitter)
            _log.LogInformation("{Job}: next run waits for active hours {Window}: {At:O}", Name, schedule.ActiveHours, next.FireAt);
        _store.Update(s => State(s).NextDue = next.FireAt);
        SetNextRun(next.FireAt);
    }

    private async Task WaitUntilAsync(DateTimeOffset at, CancellationToken cancellationToken)
    {
        while (true)
        {
            var left = at - _context.Time.GetUtcNow();
            if (left <= TimeSpan.Zero) return;
            if (_context.Suspends is not { } suspends)
            {
                await Task.Delay(left < MaxWait ? left : MaxWait, _context.Time, cancellationToken);
                continue;
            }
            // A detected wake cuts the wait short: the loop sees the jump now, not a minute later.
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, suspends.WakeToken);
            try
            {
                await Task.Delay(left < MaxWait ? left : MaxWait, _context.Time, wait.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
            }
        }
    }
}
