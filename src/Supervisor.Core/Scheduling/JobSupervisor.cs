using Microsoft.Extensions.Logging;
using Supervisor.Core.Config;
using Supervisor.Core.Daemon;
using Supervisor.Core.Logs;
using Supervisor.Core.Platform;
using Supervisor.Core.Supervision;

namespace Supervisor.Core.Scheduling;

/// <summary>
/// The owner of one job: arms its trigger (cron, every, on_file), starts runs when due, never
/// starts a time-triggered run twice, keeps history and schedule state in state.json.
/// Commands are queued like a service's; the schedule loop posts runs back through the queue.
/// Statuses: scheduled, running, disabled, stopped, errored.
/// </summary>
public sealed partial class JobSupervisor : IAppSupervisor, ILogOwner
{
    private readonly SupervisorContext _context;
    private readonly StateStore _store;
    private readonly Random _random;
    private readonly ILogger _log;
    private readonly CommandQueue _commands = new();
    private readonly List<ActiveRun> _active = [];

    private AppSpec _spec;
    private CancellationTokenSource? _armed;
    private Task _scheduleLoop = Task.CompletedTask;
    private bool _firstArm = true;

    public JobSupervisor(AppSpec spec, AppLogs logs, SupervisorContext context, StateStore store, Random random)
    {
        _spec = spec;
        Logs = logs;
        _context = context;
        _store = store;
        _random = random;
        _log = context.Logging.CreateLogger("job." + spec.Name);
        _view = new JobView(AppStatus.Stopped, "not started yet", null, null, []);
        // A job written with `enabled: false` starts disabled unless the user toggled it since.
        if (!spec.Job!.Enabled) _store.Update(s => s.Jobs.TryAdd(spec.Name, new JobState { Enabled = false }));
    }

    public string Name => _spec.Name;
    public AppSpec Spec => _spec;
    public AppLogs Logs { get; }
    public int? RootPid => _view.Pid;
    public ResourceUsage? LastUsage { get; private set; }
    public void ReportUsage(ResourceUsage usage) => LastUsage = usage;

    public bool Enabled => _store.Read(s => !s.Jobs.TryGetValue(_spec.Name, out var j) || j.Enabled);

    public Task StartAsync(string reason, CancellationToken cancellationToken) =>
        _commands.RunAsync(() => { Arm(reason); return Task.CompletedTask; }).WaitAsync(cancellationToken);

    public Task StopAsync(string reason, CancellationToken cancellationToken) =>
        _commands.RunAsync(async () =>
        {
            await DisarmAsync();
            await CancelRunsAsync(reason);
            Transition(AppStatus.Stopped, reason);
        }).WaitAsync(cancellationToken);

    public Task RestartAsync(string reason, CancellationToken cancellationToken) =>
        _commands.RunAsync(async () =>
        {
            await DisarmAsync();
            await CancelRunsAsync(reason);
            Arm(reason);
        }).WaitAsync(cancellationToken);

    public Task UpdateAsync(AppSpec spec, string reason, CancellationToken cancellationToken) =>
        _commands.RunAsync(async () =>
        {
            var armed = _armed is not null;
            await DisarmAsync();
            await CancelRunsAsync(reason);
            _spec = spec;
            if (armed) Arm(reason);
        }).WaitAsync(cancellationToken);

    public Task<bool> SignalAsync(int signal, CancellationToken cancellationToken) =>
        _commands.RunAsync(() => Task.FromResult(_view.Pid is int pid && _context.Control.Signal(pid, signal)))
            .WaitAsync(cancellationToken);

    /// <summary>`sup run JOB`: a run now, trigger "manual", unless one is already running.</summary>
    public Task RunNowAsync(CancellationToken cancellationToken) =>
        _commands.RunAsync(() =>
        {
            if (!TryBeginRun("manual", file: null))
                throw new SupException(SupError.Conflict,
                    $"Job '{Name}' is already running. `sup ls` shows it; `sup stop {Name}` stops it.");
            return Task.CompletedTask;
        }).WaitAsync(cancellationToken);

    /// <summary>`sup enable/disable JOB`: toggles the schedule, persisted across daemon restarts.</summary>
    public Task SetEnabledAsync(bool enabled, CancellationToken cancellationToken) =>
        _commands.RunAsync(async () =>
        {
            _store.Update(s => State(s).Enabled = enabled);
            _log.LogInformation("{Job} {Action} by user", Name, enabled ? "enabled" : "disabled");
            if (_view.Status is AppStatus.Stopped or AppStatus.Errored) return;
            await DisarmAsync();
            Arm(enabled ? "enabled by user" : "disabled by user");
        }).WaitAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _commands.RunAsync(async () =>
        {
            await DisarmAsync();
            await CancelRunsAsync("job deleted");
        });
        await _commands.DisposeAsync();
    }

    private JobState State(DaemonState s)
    {
        if (!s.Jobs.TryGetValue(_spec.Name, out var job)) s.Jobs[_spec.Name] = job = new JobState();
        return job;
    }
}
