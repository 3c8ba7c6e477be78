using Microsoft.Extensions.Logging;
using Supervisor.Core.Scheduling;

namespace Supervisor.Core.Supervision;

/// <summary>
/// What restarts a service besides its own exits: a change under its watch paths (PM2's watch)
/// and its cron_restart schedule. Both post a restart to the command queue like `sup restart`;
/// they follow the spec (an update rebuilds them) and end with the app.
/// </summary>
public sealed partial class ServiceSupervisor
{
    private WatchRestarter? _watcher;
    private CronRestarter? _cronRestarter;

    private void StartTriggers()
    {
        var spec = _spec;
        if (spec.Watch.Count > 0)
        {
            var own = new[] { _logs.OutPath, _logs.ErrPath, _logs.CombinedPath, _context.PidFileFor(spec) }
                .OfType<string>().Select(Path.GetFullPath).ToHashSet(StringComparer.Ordinal);
            _watcher = new WatchRestarter(spec.Name, spec.Watch, new WatchFilter(spec.Watch, spec.IgnoreWatch, own), spec.WatchDelay,
                reason => RestartOnTriggerAsync(reason, startStopped: false), _context.Time, _log);
        }

        if (spec.CronRestart is { } cron)
        {
            try
            {
                _cronRestarter = new CronRestarter(spec.Name, cron, reason => RestartOnTriggerAsync(reason, startStopped: true), _context.Time, _log);
            }
            catch (CronFormatException ex)
            {
                _log.LogError("{App}: cron_restart '{Cron}' does not parse ({Message}); it is not restarted on a schedule", spec.Name, cron, ex.Message);
            }
        }
    }

    private async Task StopTriggersAsync()
    {
        if (Interlocked.Exchange(ref _watcher, null) is { } watcher) await watcher.DisposeAsync();
        if (Interlocked.Exchange(ref _cronRestarter, null) is { } cron) await cron.DisposeAsync();
    }

    /// <summary>
    /// A watched change restarts an app that runs, waits to restart or gave up (the change may be
    /// the fix); one the user stopped stays stopped, as after PM2's `stop --watch`. cron_restart
    /// starts it whatever its state, as PM2 does.
    /// </summary>
    private Task RestartOnTriggerAsync(string reason, bool startStopped) =>
        _commands.RunAsync(async () =>
        {
            if (!startStopped && _state.Status == AppStatus.Stopped) return;
            Raise(Events.EventKind.Restarting, reason);
            var wasRunning = await EndRunAsync(reason);
            if (wasRunning) _state = _state with { Restarts = _state.Restarts + 1 };
            BeginRun(reason, freshCount: true);
        });
}
