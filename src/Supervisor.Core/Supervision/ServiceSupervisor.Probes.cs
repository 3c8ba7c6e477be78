using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Supervisor.Core.Config;
using Supervisor.Core.Platform;
using Supervisor.Core.Readiness;

namespace Supervisor.Core.Supervision;

/// <summary>
/// `ready:` and `health:` of a service (docs/health.md). A child with a ready check is launched
/// as `starting` and becomes `online` when the check passes; past ready_timeout it is stopped and
/// the start counts as a failed (fast) start. While online, the health check runs beside the
/// child; retries failures in a row stop it, and the restart policy decides what follows. The
/// checks run on the pool; only their outcome reaches the run, which makes every transition.
/// </summary>
public sealed partial class ServiceSupervisor
{
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Why the last child was stopped by a check; said once in the next child's reason.</summary>
    private string? _restartCause;

    /// <summary>
    /// Why the last health verdict was a failure, until a check passes again (or the user stops
    /// the app, or a new spec comes): what `sup health` counts as unhealthy while the restart
    /// policy restarts the app, backs off, or left it down.
    /// </summary>
    private volatile string? _unhealthy;

    /// <summary>Called by <c>Handle</c> after each change: wakes <see cref="WaitUntilAsync"/>.</summary>
    private void SignalChange() =>
        Interlocked.Exchange(ref _changed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    /// <summary>
    /// depends_on: true once the app is up as <paramref name="condition"/> asks (ready = online;
    /// started = its child runs), false once it is errored or stopped. Waits through restarts.
    /// </summary>
    public async Task<bool> WaitUntilAsync(DependencyCondition condition, CancellationToken cancellationToken)
    {
        while (true)
        {
            var changed = Volatile.Read(ref _changed).Task; // read before the state, so no change falls between
            var s = _state;
            if (s.Status == AppStatus.Online) return true;
            if (condition == DependencyCondition.Started && s.Status == AppStatus.Starting && s.Pid is not null) return true;
            if (s.Status is AppStatus.Errored or AppStatus.Stopped) return false;
            await changed.WaitAsync(cancellationToken);
        }
    }

    /// <summary>
    /// restart_with: true once a child started after <paramref name="after"/> is online (the app
    /// came back from a crash or a failed check), false once it is errored or stopped.
    /// </summary>
    public async Task<bool> WaitUpAgainAsync(DateTimeOffset after, CancellationToken cancellationToken)
    {
        while (true)
        {
            var changed = Volatile.Read(ref _changed).Task;
            var s = _state;
            if (s.Status == AppStatus.Online && s.StartedAt >= after) return true;
            if (s.Status is AppStatus.Errored or AppStatus.Stopped) return false;
            await changed.WaitAsync(cancellationToken);
        }
    }

    /// <summary>
    /// A start that first waits for <paramref name="before"/> (its dependencies), showing
    /// `starting` with "waiting for …" meanwhile; a stop ends the wait. Returns once queued.
    /// </summary>
    public Task StartAfterAsync(string reason, string waitingFor, Func<CancellationToken, Task> before, CancellationToken cancellationToken) =>
        _commands.RunAsync(() =>
        {
            if (_run is { Task.IsCompleted: false }) return Task.CompletedTask;
            if (_context.OutsideProcess?.Invoke(Name) is int outside && _context.Control.IsAlive(outside))
            {
                Handle(ServiceEvent.Refused, $"pid {outside} from its PID file is running outside sup; not starting a second copy");
                return Task.CompletedTask;
            }
            BeginRun(reason, freshCount: true, before, waitingFor);
            return Task.CompletedTask;
        }).WaitAsync(cancellationToken);

    /// <summary>restart_with: a running app restarts (after <paramref name="before"/>); a stopped one stays stopped.</summary>
    public Task RestartAfterAsync(string reason, string waitingFor, Func<CancellationToken, Task> before, CancellationToken cancellationToken) =>
        _commands.RunAsync(async () =>
        {
            if (!await EndRunAsync(reason)) return;
            _state = _state with { Restarts = _state.Restarts + 1 };
            BeginRun(reason, freshCount: true, before, waitingFor);
        }).WaitAsync(cancellationToken);

    private async Task WaitBeforeAsync(Run run)
    {
        Handle(ServiceEvent.Starting, $"waiting for {run.WaitingFor}");
        await run.Before!(run.Cancel.Token);
    }

    /// <summary>The checks of one child: opened before it starts (a log probe must see its first line, a notify socket must exist).</summary>
    private sealed class ChildProbes : IDisposable
    {
        public IProbe? Ready { get; init; }
        public IProbe? Health { get; init; }
        public NotifySocketListener? Notify { get; init; }

        public ChildCommand Apply(ChildCommand command) =>
            Notify is null ? command : command.WithEnvironment("NOTIFY_SOCKET", Notify.Path);

        public void Dispose() => Notify?.Dispose();
    }

    /// <param name="awaitReady">False for a child adopted from a previous daemon: it was ready long ago.</param>
    /// <exception cref="SupException">The notify socket could not be made (a failed start).</exception>
    /// <param name="command">What the child runs: an exec check runs in its folder with its variables.</param>
    private ChildProbes OpenProbes(AppSpec spec, ChildCommand command, bool awaitReady)
    {
        var ready = awaitReady ? spec.Ready : null;
        NotifySocketListener? notify = null;
        LogLineProbe? log = null;
        IProbe? readyProbe = null;
        switch (ready)
        {
            case LogProbeSpec l:
                readyProbe = log = new LogLineProbe(l);
                break;
            case NotifyProbeSpec n:
                try
                {
                    notify = NotifySocketListener.Open(NotifySocketPath(spec.Name));
                }
                catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException or UnauthorizedAccessException)
                {
                    throw new SupException(SupError.Io, $"Could not make a NOTIFY_SOCKET for '{spec.Name}': {ex.Message}");
                }
                readyProbe = new NotifyProbe(n, notify);
                break;
            case { } active:
                readyProbe = ActiveProbe(active, command);
                break;
        }
        // Set per child before it starts; null for apps without a log check, so their pump pays nothing.
        _logs.LineObserver = log is null ? null : log.Observe;
        return new ChildProbes
        {
            Ready = readyProbe,
            Health = spec.Health is { } health ? ActiveProbe(health.Probe, command) : null,
            Notify = notify,
        };
    }

    private IProbe ActiveProbe(ProbeSpec spec, ChildCommand command) => spec switch
    {
        TcpProbeSpec tcp => new TcpProbe(tcp, _context.Time),
        HttpProbeSpec http => new HttpProbe(http, _context.Time),
        ExecProbeSpec exec => new ExecProbe(exec, command.WorkingDirectory, command.Environment, _context.Time),
        _ => throw new InvalidOperationException($"{spec.Kind} is not a check sup can run by itself."),
    };

    /// <summary>$SUP_HOME/notify/NAME.sock, or a hashed name where that passes the 107 bytes a socket path may have.</summary>
    private string NotifySocketPath(string name)
    {
        var folder = Path.Combine(_context.SupHome, "notify");
        var plain = Path.Combine(folder, name + ".sock");
        if (Encoding.UTF8.GetByteCount(plain) <= NotifySocketListener.MaxPathBytes) return plain;
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(_context.SupHome + "\0" + name)))[..12];
        var hashed = Path.Combine(folder, hash + ".sock");
        return Encoding.UTF8.GetByteCount(hashed) <= NotifySocketListener.MaxPathBytes
            ? hashed
            : Path.Combine(Path.GetTempPath(), $"sup-notify-{hash}.sock");
    }

    /// <returns>Null when the child is ready, has exited, or the run was stopped; else why it failed its start.</returns>
    private async Task<string?> AwaitReadyAsync(IProbe ready, AppSpec spec, SupervisedRun child, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var waiting = ReadinessWaiter.WaitAsync(ready, spec.ReadyTimeout, _context.Time, stop.Token);
        if (await Task.WhenAny(waiting, child.Child.Exited) != waiting)
        {
            await stop.CancelAsync();
            try { await waiting; }
            catch (OperationCanceledException) { }
            return null; // the exit is handled as any exit
        }
        if (waiting.IsCanceled) return null;
        if (waiting.Exception is { } ex)
        {
            _log.LogError(ex, "{App}: ready check failed", spec.Name);
            return $"ready: {ready.What} could not be checked ({ex.InnerException?.Message ?? ex.Message})";
        }

        var outcome = waiting.Result;
        if (!outcome.Ready)
            return $"ready: {ready.What} did not pass within {Duration.Format(spec.ReadyTimeout)} (last: {outcome.LastFailure})";
        Handle(ServiceEvent.Ready, $"pid {child.Pid}{TakeRestartCause()}; ready: {ready.What} passed after {Duration.Format(outcome.Elapsed)}");
        return null;
    }

    private string TakeRestartCause() =>
        Interlocked.Exchange(ref _restartCause, null) is { } cause ? $"; restarted after {cause}" : "";

    private Task<string>? StartHealth(ChildProbes probes, AppSpec spec, SupervisedRun child, CancellationToken cancellationToken)
    {
        if (probes.Health is not { } probe || spec.Health is not { } health || child.Child.Exited.IsCompleted) return null;
        return HealthMonitor.RunAsync(probe, health, child.Child.StartedAt, _context.Time,
            (count, failure) => _log.LogWarning("{App}: health: {What} {Failure} ({Count} of {Retries})", spec.Name, probe.What, failure, count, health.Retries),
            cancellationToken,
            onPass: () =>
            {
                if (_unhealthy is null) return;
                _unhealthy = null;
                _log.LogInformation("{App}: health: {What} passes again", spec.Name, probe.What);
            });
    }

    /// <summary>
    /// A check stopped the child: the restart policy decides, with the check as the reason. A
    /// ready timeout counts as a start with no uptime (a fast crash); a health failure with the
    /// uptime it had.
    /// </summary>
    private RunOutcome ProbeFailed(string failure, bool readyFailed, RunEnd end, SupervisedRun child)
    {
        var uptime = readyFailed ? TimeSpan.Zero : end.Exit?.Uptime ?? _context.Time.GetUtcNow() - child.Child.StartedAt;
        // -1: no exit code of the app's own; a stop_exit_codes entry must not turn a failed check into "stays down".
        var decision = _policy.Decide(uptime, -1, _state.FastCrashes);
        var reason = decision.Action switch
        {
            RestartAction.GiveUp => $"{failure}; gave up after {decision.FastCrashes} fast failure{(decision.FastCrashes == 1 ? "" : "s")} (max_restarts {_spec.MaxRestarts})",
            RestartAction.Stay => $"{failure}; autorestart is off",
            _ when decision.FastCrashes > 0 => $"{failure}; fast crash {decision.FastCrashes} of {_spec.MaxRestarts}",
            _ => failure,
        };
        _state = _state with { Pid = null, LastExit = end.Exit ?? _state.LastExit, FastCrashes = decision.FastCrashes };
        _restartCause = failure;
        return new RunOutcome(end.Exit, decision with { Reason = reason });
    }

    /// <summary>A check failed: said in daemon.log and on the event stream, then the child is stopped.</summary>
    private async Task FailCheckAsync(string failure, CancellationTokenSource probeStop)
    {
        _log.LogWarning("{App}: {Failure}; stopping it", _spec.Name, failure);
        Raise(Events.EventKind.Unhealthy, failure);
        await probeStop.CancelAsync();
    }
}
