namespace Supervisor.Core.Supervision;

public sealed partial class ServiceSupervisor
{
    /// <summary>
    /// detect_external: before a run's first start, look for a copy of the service that sup did not
    /// start. If one runs, the app is `external` with its pid (logged once, by the transition),
    /// nothing is started, and every <see cref="SupervisorContext.ExternalPollInterval"/> on the
    /// injected clock it looks again; once no copy is left the run goes on to start sup's own.
    /// A stop cancels the wait like any run.
    /// </summary>
    private async Task WaitForExternalAsync(Run run)
    {
        if (_spec.DetectExternal is not { } spec || _context.External is not { } finder) return;
        if (finder.Find(spec) is not { } found) return;

        Handle(ServiceEvent.FoundExternal, $"{found.Description} runs outside sup; not starting a copy while it runs",
            s => s with { Pid = found.Pid, StartedAt = null, WaitingUntil = null });
        var last = found;
        while (true)
        {
            await Task.Delay(_context.ExternalPollInterval, _context.Time, run.Cancel.Token);
            if (finder.Find(spec) is not { } still) break;
            // Another copy took over (a restart by hand): show its pid; the status stays external.
            if (still.Pid != last.Pid) _state = _state with { Pid = still.Pid };
            last = still;
        }

        _state = _state with { Pid = null };
        run.StartReason = $"the external {last.Description} is gone";
    }
}
