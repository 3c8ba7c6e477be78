using Microsoft.Extensions.Logging;

namespace Supervisor.Core.Supervision;

public sealed partial class ServiceSupervisor
{
    /// <summary>Everything `sup ls` shows, swapped whole so readers never see a torn state.</summary>
    private sealed record ServiceState(
        AppStatus Status,
        int? Pid,
        DateTimeOffset? StartedAt,
        int Restarts,
        int FastCrashes,
        string Reason,
        DateTimeOffset? WaitingUntil,
        ChildExit? LastExit,
        IReadOnlyList<StateChange> History);

    private volatile ServiceState _state;

    public AppSnapshot Snapshot()
    {
        var s = _state;
        return new AppSnapshot
        {
            Name = _spec.Name,
            Kind = Config.AppKind.Service,
            Status = s.Status,
            Pid = s.Pid,
            StartedAt = s.Status == AppStatus.Online ? s.StartedAt : null,
            Restarts = s.Restarts,
            FastCrashes = s.FastCrashes,
            Reason = s.Reason,
            WaitingUntil = s.Status == AppStatus.Waiting ? s.WaitingUntil : null,
            LastExit = s.LastExit,
            History = s.History,
        };
    }

    /// <summary>The one place a status changes: logged with its reason and kept in the history.</summary>
    private void Transition(AppStatus to, string reason, Func<ServiceState, ServiceState>? update = null)
    {
        var before = _state;
        var after = update is null ? before : update(before);
        var change = new StateChange(_context.Time.GetUtcNow(), before.Status, to, reason);
        var history = StateHistory.Append(before.History, change);
        _state = after with { Status = to, Reason = reason, History = history };

        var level = to == AppStatus.Errored ? LogLevel.Error
            : to is AppStatus.Waiting ? LogLevel.Warning
            : LogLevel.Information;
        _log.Log(level, "{App} {From} -> {To}: {Reason}", _spec.Name, before.Status.ToWire(), to.ToWire(), reason);
    }
}
