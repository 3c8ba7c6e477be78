using Microsoft.Extensions.Logging;
using Supervisor.Core.Supervision;

namespace Supervisor.Core.Scheduling;

public sealed partial class JobSupervisor
{
    private const int TransitionHistory = 20;

    private sealed record JobView(
        AppStatus Status,
        string Reason,
        DateTimeOffset? NextRun,
        int? Pid,
        IReadOnlyList<StateChange> Changes,
        DateTimeOffset? LastRunAt = null,
        string? LastResult = null);

    private volatile JobView _view;

    public AppSnapshot Snapshot()
    {
        var v = _view;
        var counters = Counters();
        var last = LastRecordedRun();
        return new AppSnapshot
        {
            Name = Name,
            Kind = Config.AppKind.Job,
            Status = v.Status,
            Pid = v.Pid,
            Reason = v.Reason,
            NextRun = v.NextRun,
            History = v.Changes,
            LastRunAt = v.LastRunAt ?? last?.At,
            LastResult = v.LastResult ?? last?.Result,
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

    private void SetNextRun(DateTimeOffset? at) => _view = _view with { NextRun = at };

    /// <summary>The one place a job's status changes, logged with its reason.</summary>
    private void Transition(AppStatus to, string reason, Func<JobView, JobView>? update = null)
    {
        var before = _view;
        var after = update is null ? before : update(before);
        var change = new StateChange(_context.Time.GetUtcNow(), before.Status, to, reason);
        var changes = before.Changes.Count >= TransitionHistory
            ? [.. before.Changes.Skip(before.Changes.Count - TransitionHistory + 1), change]
            : new List<StateChange>(before.Changes) { change };
        _view = after with { Status = to, Reason = reason, Changes = changes };
        if (before.Status != to)
            _log.Log(to == AppStatus.Errored ? LogLevel.Error : LogLevel.Information,
                "{Job} {From} -> {To}: {Reason}", Name, before.Status.ToWire(), to.ToWire(), reason);
    }
}
