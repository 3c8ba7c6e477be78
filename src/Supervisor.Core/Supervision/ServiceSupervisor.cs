using Microsoft.Extensions.Logging;
using Supervisor.Core.Config;
using Supervisor.Core.Logs;
using Supervisor.Core.Platform;

namespace Supervisor.Core.Supervision;

/// <summary>
/// Keeps one service alive. Commands (start, stop, restart, update, signal) are queued and
/// handled in order; a start launches a run (see ServiceSupervisor.Run.cs) that owns the
/// app's state until it ends; a stop cancels the run and awaits it. Every status change is an
/// event through one <c>Handle</c> and its (status, event) table (ServiceSupervisor.State.cs),
/// which refuses impossible ones and logs each change with its reason.
/// </summary>
public sealed partial class ServiceSupervisor : IAppSupervisor, ILogOwner
{
    private readonly SupervisorContext _context;
    private readonly ILogger _log;
    private readonly AppLogs _logs;
    private readonly CommandQueue _commands = new();
    private readonly ProcessTreeStopper _stopper;

    private AppSpec _spec;
    private RestartPolicy _policy;
    private Run? _run;
    private ChildProcess? _adopted; // keeper hook: taken by the next RunOnceAsync instead of a start

    public ServiceSupervisor(AppSpec spec, AppLogs logs, SupervisorContext context)
    {
        _spec = spec;
        _policy = new RestartPolicy(spec);
        _logs = logs;
        _context = context;
        _log = context.Logging.CreateLogger("app." + spec.Name);
        _stopper = new ProcessTreeStopper(context.Control, context.Time)
        {
            Extra = context.AdoptedBy is { } adopted ? () => adopted(_spec.Name) : null,
        };
        _state = new ServiceState(AppStatus.Stopped, null, null, 0, 0, "not started yet", null, null, []);
        _backoff = BuildBackoff(spec);
        StartTriggers();
    }

    public string Name => _spec.Name;
    public AppSpec Spec => _spec;
    public AppLogs Logs => _logs;
    public int? RootPid => _state.Pid;
    public ResourceUsage? LastUsage { get; private set; }

    public Task StartAsync(string reason, CancellationToken cancellationToken) =>
        _commands.RunAsync(() =>
        {
            if (_run is { Task.IsCompleted: false }) return Task.CompletedTask; // already up (or backing off)
            if (_context.OutsideProcess?.Invoke(Name) is int outside && _context.Control.IsAlive(outside))
            {
                Handle(ServiceEvent.Refused, $"pid {outside} from its PID file is running outside sup; not starting a second copy");
                return Task.CompletedTask;
            }
            BeginRun(reason, freshCount: true);
            return Task.CompletedTask;
        }).WaitAsync(cancellationToken);

    /// <summary>
    /// Keeper hook (Daemon/OrphanSweeper): supervise <paramref name="child"/>, which a previous
    /// daemon started, as the first child of a new run; its restart count carries over.
    /// </summary>
    public Task AdoptAsync(ChildProcess child, int restarts, string reason, CancellationToken cancellationToken) =>
        _commands.RunAsync(() =>
        {
            _adopted = child;
            _state = _state with { Restarts = restarts };
            BeginRun(reason, freshCount: true);
            return Task.CompletedTask;
        }).WaitAsync(cancellationToken);

    public Task StopAsync(string reason, CancellationToken cancellationToken) =>
        _commands.RunAsync(async () =>
        {
            await EndRunAsync(reason);
            _unhealthy = null; // stopped on purpose: no longer claims to be up
            if (_state.Status is not AppStatus.Stopped)
                Handle(ServiceEvent.Stopped, reason);
        }).WaitAsync(cancellationToken);

    public Task RestartAsync(string reason, CancellationToken cancellationToken) =>
        _commands.RunAsync(async () =>
        {
            var wasRunning = await EndRunAsync(reason);
            if (wasRunning) _state = _state with { Restarts = _state.Restarts + 1 };
            BeginRun(reason, freshCount: true);
        }).WaitAsync(cancellationToken);

    public Task UpdateAsync(AppSpec spec, string reason, CancellationToken cancellationToken) =>
        _commands.RunAsync(async () =>
        {
            var wasRunning = await EndRunAsync(reason);
            _unhealthy = null; // a new spec's checks start afresh
            _spec = spec;
            _policy = new RestartPolicy(spec);
            _backoff = BuildBackoff(spec);
            await StopTriggersAsync();
            StartTriggers();
            if (wasRunning) BeginRun(reason, freshCount: true);
        }).WaitAsync(cancellationToken);

    public Task<bool> SignalAsync(int signal, CancellationToken cancellationToken) =>
        _commands.RunAsync(() => Task.FromResult(_run?.Child is { } child && child.Signal(_context.Control, signal)))
            .WaitAsync(cancellationToken);

    public void ReportUsage(ResourceUsage usage)
    {
        LastUsage = usage;
        if (_spec.MaxMemoryRestart is long limit && usage.MemoryBytes > limit && _state.Status == AppStatus.Online)
        {
            var reason = $"memory: {usage.MemoryBytes / (1024 * 1024)}MB over max_memory_restart {limit / (1024 * 1024)}MB";
            Raise(Events.EventKind.MemoryRestart, reason);
            _ = RestartAsync(reason, CancellationToken.None);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopTriggersAsync();
        await _commands.RunAsync(() => EndRunAsync("app deleted"));
        await _commands.DisposeAsync();
    }
}
