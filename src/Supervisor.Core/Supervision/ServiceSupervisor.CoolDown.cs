using Microsoft.Extensions.Logging;

namespace Supervisor.Core.Supervision;

/// <summary>
/// `restart_after_errored`: an app that gave up is tried again after a cool-down, with a fresh
/// fast-crash count (systemd's StartLimitIntervalSec idea). It stays errored meanwhile; a stop
/// or restart ends the wait like any backoff. `sup reset` zeroes the counters.
/// </summary>
public sealed partial class ServiceSupervisor
{
    private string CoolDownNote() =>
        _spec.RestartAfterErrored is { } coolDown ? $"; retrying in {Config.Duration.Format(coolDown)} (restart_after_errored)" : "";

    /// <returns>False when the app stays errored (no restart_after_errored).</returns>
    /// <exception cref="OperationCanceledException">The run was stopped during the cool-down.</exception>
    private async Task<bool> CoolDownAsync(Run run)
    {
        if (_spec.RestartAfterErrored is not { } coolDown) return false;
        var until = _context.Time.GetUtcNow() + coolDown;
        _state = _state with { WaitingUntil = until };
        await Task.Delay(coolDown, _context.Time, run.Cancel.Token);
        _log.LogInformation("{App}: cool-down of {CoolDown} over, starting again with a fresh count", _spec.Name, Config.Duration.Format(coolDown));
        _state = _state with { FastCrashes = 0, WaitingUntil = null };
        run.StartReason = $"restart_after_errored: {Config.Duration.Format(coolDown)} cool-down over";
        return true;
    }

    /// <summary>`sup reset`: the restart counter and the fast-crash count go back to zero; nothing is stopped or started.</summary>
    public Task ResetAsync(CancellationToken cancellationToken) =>
        _commands.RunAsync(() =>
        {
            _state = _state with { Restarts = 0, FastCrashes = 0 };
            _log.LogInformation("{App}: counters reset by user", _spec.Name);
            return Task.CompletedTask;
        }).WaitAsync(cancellationToken);
}
