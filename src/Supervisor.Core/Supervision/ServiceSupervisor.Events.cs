using Supervisor.Core.Events;

namespace Supervisor.Core.Supervision;

/// <summary>
/// What a service tells the event stream. Status changes are raised from <c>Handle</c>; an exit,
/// a decided restart and a memory restart from where they are observed (they change no status
/// by themselves). Publishing never blocks (see <see cref="EventBus"/>).
/// </summary>
public sealed partial class ServiceSupervisor
{
    /// <summary>Set when the app gave up; the next child that runs is a recovery.</summary>
    private bool _recovering;

    private void Raise(EventKind kind, string reason, ChildExit? exit = null) =>
        _context.Events?.Publish(new SupEvent(_context.Time.GetUtcNow(), kind, EventSource.Service, _spec.Name, reason)
        {
            ExitCode = exit?.ExitCode,
            Signal = exit?.Signal is int s ? Platform.Signals.Name(s) : null,
        });

    /// <summary>Called by <c>Handle</c> after each change.</summary>
    private void RaiseFor(ServiceEvent e, AppStatus to, string reason)
    {
        switch (e)
        {
            case ServiceEvent.Spawned:
                Raise(EventKind.Started, reason);
                if (_recovering) Raise(EventKind.Recovered, "running again after it was errored");
                _recovering = false;
                break;
            case ServiceEvent.Launched:
                Raise(EventKind.Started, reason);
                break;
            case ServiceEvent.Ready:
                Raise(EventKind.Ready, reason);
                if (_recovering) Raise(EventKind.Recovered, "running again after it was errored");
                _recovering = false;
                break;
            case ServiceEvent.GaveUp or ServiceEvent.Failed or ServiceEvent.Refused when to == AppStatus.Errored:
                _recovering = true;
                Raise(EventKind.Errored, reason, _state.LastExit);
                break;
            case ServiceEvent.Stopped:
                _recovering = false;
                break;
            case ServiceEvent.FoundExternal:
                Raise(EventKind.External, reason);
                break;
        }
    }

    /// <summary>The child ended on its own: a clean exit (0 or a stop exit code) or a crash.</summary>
    private void RaiseExit(ChildExit exit)
    {
        var clean = exit.ExitCode == 0 || _spec.StopExitCodes.Contains(exit.ExitCode);
        Raise(clean ? EventKind.Exited : EventKind.Crashed,
            $"{exit.Describe()} after {Config.Duration.Format(exit.Uptime)}", exit);
    }
}
