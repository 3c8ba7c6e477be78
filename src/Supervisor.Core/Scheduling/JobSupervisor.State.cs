using Microsoft.Extensions.Logging;
using Supervisor.Core.Supervision;

namespace Supervisor.Core.Scheduling;

/// <summary>
/// A job's status and its table: while a run is going it is <c>running</c>; otherwise it rests
/// in <c>stopped</c> (not started, or `sup stop`), <c>disabled</c> (started, schedule switched
/// off), <c>paused</c> (held by `sup pause`), <c>errored</c> (started, but the schedule cannot
/// work) or <c>scheduled</c>. Every change goes through <see cref="Handle"/> and <see cref="Next"/>.
/// </summary>
public sealed partial class JobSupervisor
{
    private sealed record JobView(
        AppStatus Status,
        string Reason,
        DateTimeOffset? NextRun,
        IReadOnlyList<StateChange> Changes,
        DateTimeOffset? RunStartedAt = null,
        string? LastResult = null);

    /// <summary>What happens to a job; <see cref="Next"/> says where each leads.</summary>
    internal enum JobEvent
    {
        /// <summary>The trigger is armed: the job waits for its next run.</summary>
        Armed,
        /// <summary>Started (or re-armed) while the schedule is switched off (`sup disable`, `enabled: false`).</summary>
        Disabled,
        /// <summary>Started (or re-armed) while `sup pause` holds it.</summary>
        Paused,
        /// <summary>The schedule cannot work (a bad or never-firing cron): found when arming.</summary>
        Broken,
        /// <summary>The armed trigger loop broke (a bug or the watched folder went bad).</summary>
        TriggerFailed,
        /// <summary>A stop was asked while runs go: they are being cancelled, and end in stopped.</summary>
        Stopping,
        /// <summary>A stop is done: no trigger, no run.</summary>
        Stopped,
        /// <summary>A run begins (scheduled, missed, manual, or one per file).</summary>
        RunStarted,
        /// <summary>A run ended (done, failed, or stopped).</summary>
        RunEnded,
    }

    /// <summary>
    /// What decides a job's status: where it rests when no run goes (stopped, scheduled,
    /// disabled, paused, errored) and how many runs go (file runs can overlap); any run shows as
    /// running.
    /// </summary>
    internal readonly record struct JobPhase(AppStatus Resting, int Runs)
    {
        public AppStatus Status => Runs > 0 ? AppStatus.Running : Resting;
    }

    /// <summary>
    /// The state table: the phase an event leads to, null when the event cannot happen there.
    /// <see cref="Handle"/> refuses those, as a service's table does.
    /// </summary>
    internal static JobPhase? Next(JobPhase phase, JobEvent e) => e switch
    {
        JobEvent.Armed => phase with { Resting = AppStatus.Scheduled },
        JobEvent.Disabled => phase with { Resting = AppStatus.Disabled },
        JobEvent.Paused => phase with { Resting = AppStatus.Paused },
        JobEvent.Broken => phase with { Resting = AppStatus.Errored },
        // Only an armed trigger has a loop that can break.
        JobEvent.TriggerFailed when phase.Resting == AppStatus.Scheduled => phase with { Resting = AppStatus.Errored },
        // Runs a stop cancels end straight in stopped; with none going there is nothing to cancel.
        JobEvent.Stopping when phase.Runs > 0 => phase with { Resting = AppStatus.Stopped },
        // A stop cancels every run first: none goes once it is done.
        JobEvent.Stopped when phase.Runs == 0 => new JobPhase(AppStatus.Stopped, 0),
        JobEvent.RunStarted => phase with { Runs = phase.Runs + 1 },
        JobEvent.RunEnded when phase.Runs > 0 => phase with { Runs = phase.Runs - 1 },
        _ => null,
    };

    // Written from the queue (transitions) and from the trigger loop (next run): one small lock.
    private readonly Lock _viewGate = new();
    private JobView _view;
    /// <summary>Changed only inside commands, by <see cref="Handle"/>.</summary>
    private JobPhase _phase = new(AppStatus.Stopped, 0);

    public AppSnapshot Snapshot()
    {
        JobView v;
        lock (_viewGate) v = _view;
        var counters = Counters();
        var last = LastRecordedRun();
        var running = v.Status == AppStatus.Running;
        return new AppSnapshot
        {
            Name = Name,
            Kind = Config.AppKind.Job,
            Status = v.Status,
            Pid = RootPid,
            Reason = v.Reason,
            NextRun = v.NextRun,
            History = v.Changes,
            // While running: when this run started; otherwise the last recorded run.
            LastRunAt = running ? v.RunStartedAt : last?.At,
            LastResult = running ? "running" : v.LastResult ?? last?.Result,
            Enabled = Enabled,
            RunCount = counters.Runs,
            Restarts = 0,
        };
    }

    private (DateTimeOffset At, string? Result)? LastRecordedRun() =>
        _store.Read<(DateTimeOffset, string?)?>(s =>
            s.Jobs.TryGetValue(Name, out var j) && j.History.Count > 0
                && DateTimeOffset.TryParse(j.History[^1].Start, out var at)
                ? (at, j.History[^1].Result)
                : null);

    private void SetNextRun(DateTimeOffset? at)
    {
        lock (_viewGate) _view = _view with { NextRun = at };
    }

    /// <summary>
    /// The one place a job's status changes (inside a command): the table decides, an impossible
    /// event is refused (logged and thrown, so a bug shows instead of a wrong status), and every
    /// change is kept in the history and logged with its reason when the status moved.
    /// </summary>
    /// <exception cref="InvalidOperationException">The event cannot happen in the current phase.</exception>
    private void Handle(JobEvent e, string reason, Func<JobView, JobView>? update = null)
    {
        var before = _phase;
        if (Next(before, e) is not { } after)
        {
            _log.LogError("{Job}: refused {Event} while {Status} ({Runs} runs, resting {Resting}; {Reason})",
                Name, e, before.Status.ToWire(), before.Runs, before.Resting.ToWire(), reason);
            throw new InvalidOperationException($"Job '{Name}' cannot take {e} while {before.Status.ToWire()}.");
        }
        _phase = after;
        var (was, now) = (before.Status, after.Status);
        lock (_viewGate)
        {
            var view = update is null ? _view : update(_view);
            var changes = StateHistory.Append(view.Changes, new StateChange(_context.Time.GetUtcNow(), was, now, reason));
            _view = view with { Status = now, Reason = reason, Changes = changes };
        }
        if (was != now)
            _log.Log(now == AppStatus.Errored ? LogLevel.Error : LogLevel.Information,
                "{Job} {From} -> {To}: {Reason}", Name, was.ToWire(), now.ToWire(), reason);
    }
}
