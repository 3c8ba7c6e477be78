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

    /// <summary>What happens to a service; <see cref="Next"/> says which status each leads to from each status.</summary>
    internal enum ServiceEvent
    {
        /// <summary>A child is about to be started (a start or restart, a backoff over, a restart at once).</summary>
        Starting,
        /// <summary>The child runs (and the app has no ready: check, so it is up).</summary>
        Spawned,
        /// <summary>The child runs and its ready: check is awaited: still starting.</summary>
        Launched,
        /// <summary>The ready: check passed.</summary>
        Ready,
        /// <summary>It exited (or could not start) and a restart waits out a backoff or restart_delay.</summary>
        BackingOff,
        /// <summary>It exited and stays down (autorestart off, a stop exit code).</summary>
        StayedDown,
        /// <summary>Too many fast crashes.</summary>
        GaveUp,
        /// <summary>A stop reached the running child: the cascade begins.</summary>
        Stopping,
        /// <summary>A stop is done: nothing of the app runs, no restart is pending.</summary>
        Stopped,
        /// <summary>A start was refused: the app's PID file names a live process sup did not start.</summary>
        Refused,
        /// <summary>Supervision itself failed (a bug of ours): the app is left errored.</summary>
        Failed,
        /// <summary>A new daemon takes up a service its dead predecessor left backing off or starting (ServiceSupervisor.Resume.cs).</summary>
        ResumedWaiting,
        /// <summary>A new daemon takes up a service its dead predecessor left errored: errored still, with its reason.</summary>
        ResumedErrored,
        /// <summary>Before a start, a copy running outside sup was found (detect_external): none is started while it runs.</summary>
        FoundExternal,
    }

    /// <summary>
    /// The state table: the status an event leads to from each status, null when the event is
    /// impossible there. <see cref="Handle"/> refuses those (supervisor's process.py asserts the
    /// from-state the same way) instead of recording a transition that cannot happen.
    /// </summary>
    internal static AppStatus? Next(AppStatus from, ServiceEvent e) => (from, e) switch
    {
        (AppStatus.Stopped or AppStatus.Errored or AppStatus.Waiting or AppStatus.Online or AppStatus.Starting or AppStatus.External, ServiceEvent.Starting) => AppStatus.Starting,
        (AppStatus.Starting, ServiceEvent.Spawned) => AppStatus.Online,
        (AppStatus.Starting, ServiceEvent.Launched) => AppStatus.Starting,
        (AppStatus.Starting, ServiceEvent.Ready) => AppStatus.Online,
        (AppStatus.Starting, ServiceEvent.Stopping) => AppStatus.Stopping,
        (AppStatus.Online or AppStatus.Starting, ServiceEvent.BackingOff) => AppStatus.Waiting,
        (AppStatus.Online or AppStatus.Starting, ServiceEvent.StayedDown) => AppStatus.Stopped,
        (AppStatus.Online or AppStatus.Starting, ServiceEvent.GaveUp) => AppStatus.Errored,
        (AppStatus.Online, ServiceEvent.Stopping) => AppStatus.Stopping,
        (AppStatus.Stopping or AppStatus.Waiting or AppStatus.Starting or AppStatus.Online or AppStatus.Errored or AppStatus.External, ServiceEvent.Stopped) => AppStatus.Stopped,
        (AppStatus.Stopped or AppStatus.Errored, ServiceEvent.Refused) => AppStatus.Errored,
        (AppStatus.Stopped or AppStatus.Errored, ServiceEvent.FoundExternal) => AppStatus.External,
        (_, ServiceEvent.Failed) => AppStatus.Errored,
        (AppStatus.Stopped, ServiceEvent.ResumedWaiting) => AppStatus.Waiting,
        (AppStatus.Stopped, ServiceEvent.ResumedErrored) => AppStatus.Errored,
        _ => null,
    };

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
            Unhealthy = _unhealthy,
        };
    }

    /// <summary>
    /// The one place a status changes: the table decides the new status, an impossible event is
    /// refused (logged and thrown, so a bug shows instead of a wrong status), and every change is
    /// logged with its reason and kept in the history.
    /// </summary>
    /// <exception cref="InvalidOperationException">The event cannot happen in the current status.</exception>
    private void Handle(ServiceEvent e, string reason, Func<ServiceState, ServiceState>? update = null)
    {
        var before = _state;
        if (Next(before.Status, e) is not { } to)
        {
            _log.LogError("{App}: refused {Event} while {Status} ({Reason})", _spec.Name, e, before.Status.ToWire(), reason);
            throw new InvalidOperationException($"'{_spec.Name}' cannot take {e} while {before.Status.ToWire()}.");
        }

        var after = update is null ? before : update(before);
        var change = new StateChange(_context.Time.GetUtcNow(), before.Status, to, reason);
        var history = StateHistory.Append(before.History, change);
        _state = after with { Status = to, Reason = reason, History = history };

        var level = to == AppStatus.Errored ? LogLevel.Error
            : to is AppStatus.Waiting ? LogLevel.Warning
            : LogLevel.Information;
        _log.Log(level, "{App} {From} -> {To}: {Reason}", _spec.Name, before.Status.ToWire(), to.ToWire(), reason);
        RaiseFor(e, to, reason);
        _context.StatusChanged?.Invoke(Snapshot());
        SignalChange();
    }
}
