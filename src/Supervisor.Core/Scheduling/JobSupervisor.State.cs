using Microsoft.Extensions.Logging;
using Supervisor.Core.Supervision;

namespace Supervisor.Core.Scheduling;

/// <summary>
/// A job's status, the one table: while a run is going it is <c>running</c>; otherwise it rests
/// in <c>stopped</c> (not started, or `sup stop`), <c>disabled</c> (started, schedule switched
/// off), <c>errored</c> (started, but the schedule cannot work) or <c>scheduled</c>.
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

    // Written from the queue (transitions) and from the trigger loop (next run): one small lock.
    private readonly Lock _viewGate = new();
    private JobView _view;
    /// <summary>The status when no run is going. Changed only inside commands.</summary>
    private AppStatus _resting = AppStatus.Stopped;

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

    /// <summary>Sets the resting status and shows it, unless a run is going (then `running` stays).</summary>
    private void Settle(AppStatus resting, string reason, Func<JobView, JobView>? update = null)
    {
        _resting = resting;
        Transition(_active.Length > 0 ? AppStatus.Running : resting, reason, update);
    }

    /// <summary>The one place a job's status changes, logged with its reason.</summary>
    private void Transition(AppStatus to, string reason, Func<JobView, JobView>? update = null)
    {
        AppStatus from;
        lock (_viewGate)
        {
            var before = _view;
            from = before.Status;
            var after = update is null ? before : update(before);
            var change = new StateChange(_context.Time.GetUtcNow(), before.Status, to, reason);
            var changes = StateHistory.Append(before.Changes, change);
            _view = after with { Status = to, Reason = reason, Changes = changes };
        }
        if (from != to)
            _log.Log(to == AppStatus.Errored ? LogLevel.Error : LogLevel.Information,
                "{Job} {From} -> {To}: {Reason}", Name, from.ToWire(), to.ToWire(), reason);
    }
}
