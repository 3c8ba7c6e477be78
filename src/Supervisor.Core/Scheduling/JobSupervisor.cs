using Microsoft.Extensions.Logging;
using Supervisor.Core.Config;
using Supervisor.Core.Daemon;
using Supervisor.Core.Logs;
using Supervisor.Core.Platform;
using Supervisor.Core.Supervision;

namespace Supervisor.Core.Scheduling;

/// <summary>
/// The owner of one job: arms its trigger (cron, every, on_file), starts runs when due, never
/// starts a time-triggered run while one is going, keeps history and schedule state in
/// state.json. Commands are queued and handled in order like a service's; the trigger loop and
/// finished runs post back through the same queue, so the job's state needs no locks.
/// </summary>
/// <remarks>
/// Files: JobSupervisor.Schedule.cs (cron/every loop, run_missed, wall-clock jumps),
/// JobSupervisor.Files.cs (on_file), JobSupervisor.Runs.cs (runs, history, counters),
/// JobSupervisor.State.cs (statuses and the snapshot). The rules are in docs/jobs.md.
/// </remarks>
public sealed partial class JobSupervisor : IAppSupervisor, ILogOwner
{
    private readonly SupervisorContext _context;
    private readonly StateStore _store;
    private readonly Random _random;
    private readonly ILogger _log;
    private readonly CommandQueue _commands = new();

    private AppSpec _spec;
    /// <summary>True from `sup start` until `sup stop`: the user wants the trigger armed.</summary>
    private bool _started;

    /// <param name="random">Jitter source; this job draws from its own generator seeded from it.</param>
    public JobSupervisor(AppSpec spec, AppLogs logs, SupervisorContext context, StateStore store, Random random)
    {
        ArgumentNullException.ThrowIfNull(spec.Job, nameof(spec));
        _spec = spec;
        Logs = logs;
        _context = context;
        _store = store;
        // System.Random is not thread-safe and the daemon shares one among all jobs, whose
        // schedule loops run concurrently: each job gets its own generator.
        lock (random) _random = new Random(random.Next());
        _log = context.Logging.CreateLogger("job." + spec.Name);
        _view = new JobView(AppStatus.Stopped, "not started yet", null, []);
        // A job written with `enabled: false` starts disabled unless the user toggled it since
        // (what `sup save` wrote is the switch as it was; the switch itself lives in state.json).
        if (!spec.Job.Enabled) _store.Update(s => s.Jobs.TryAdd(spec.Name, new JobState { Enabled = false }));
    }

    public string Name => _spec.Name;
    public AppSpec Spec => _spec;
    public AppLogs Logs { get; }
    public ResourceUsage? LastUsage { get; private set; }
    public void ReportUsage(ResourceUsage usage) => LastUsage = usage;

    /// <summary>The schedule switch (`sup enable/disable`), persisted in state.json.</summary>
    public bool Enabled => _store.Read(s => !s.Jobs.TryGetValue(_spec.Name, out var j) || j.Enabled);

    public Task StartAsync(string reason, CancellationToken cancellationToken) =>
        _commands.RunAsync(async () =>
        {
            if (_started && _phase.Resting != AppStatus.Errored) return;
            _started = true;
            await DisarmAsync(); // an errored trigger loop is replaced
            Arm(reason);
        }).WaitAsync(cancellationToken);

    /// <summary>
    /// Disarms the trigger and stops running runs (tree included); the job stays stopped until
    /// started. The due time stays in state.json: this is also the daemon's shutdown, after which
    /// run_missed catches up.
    /// </summary>
    public Task StopAsync(string reason, CancellationToken cancellationToken) => StopAsync(reason, owesMissedRun: true, cancellationToken);

    /// <summary>
    /// `sup stop JOB`: as <see cref="StopAsync(string, CancellationToken)"/>, but the job was paused
    /// on purpose, like a disabled one: nothing it skips while stopped counts as missed, even when
    /// the daemon restarts before the user starts it again.
    /// </summary>
    public Task StopByUserAsync(string reason, CancellationToken cancellationToken) => StopAsync(reason, owesMissedRun: false, cancellationToken);

    private Task StopAsync(string reason, bool owesMissedRun, CancellationToken cancellationToken) =>
        _commands.RunAsync(async () =>
        {
            if (!owesMissedRun) _store.Update(s => State(s).NextDue = null);
            _started = false;
            if (_phase.Runs > 0) Handle(JobEvent.Stopping, reason); // so a run it kills ends straight in stopped
            await DisarmAsync();
            await CancelRunsAsync(reason);
            Handle(JobEvent.Stopped, reason);
        }).WaitAsync(cancellationToken);

    public Task RestartAsync(string reason, CancellationToken cancellationToken) =>
        _commands.RunAsync(async () =>
        {
            await DisarmAsync();
            await CancelRunsAsync(reason);
            _started = true;
            Arm(reason);
        }).WaitAsync(cancellationToken);

    public Task UpdateAsync(AppSpec spec, string reason, CancellationToken cancellationToken) =>
        _commands.RunAsync(async () =>
        {
            await DisarmAsync();
            await CancelRunsAsync(reason);
            // `enabled` edited in the file is the user's word too: it overrides an earlier toggle.
            if (spec.Job is { } job && job.Enabled != _spec.Job!.Enabled)
                _store.Update(s =>
                {
                    State(s).Enabled = job.Enabled;
                    if (!job.Enabled) State(s).NextDue = null;
                });
            _spec = spec;
            if (_started) Arm(reason);
        }).WaitAsync(cancellationToken);

    public Task<bool> SignalAsync(int signal, CancellationToken cancellationToken) =>
        _commands.RunAsync(() => Task.FromResult(RootPid is int pid && _context.Control.Signal(pid, signal)))
            .WaitAsync(cancellationToken);

    /// <summary>
    /// `sup run JOB`: a run now, trigger "manual", even when the job is disabled or stopped
    /// (a manual run is an override, not the schedule), unless a run is already going.
    /// </summary>
    /// <exception cref="SupException">Conflict: a run is already going.</exception>
    public Task RunNowAsync(CancellationToken cancellationToken) =>
        _commands.RunAsync(() =>
        {
            if (!TryBeginRun("manual", file: null))
                throw new SupException(SupError.Conflict,
                    $"Job '{Name}' is already running. `sup jobs` shows it; `sup stop {Name}` stops the run.");
            return Task.CompletedTask;
        }).WaitAsync(cancellationToken);

    /// <summary>
    /// `sup enable/disable JOB`: switches the schedule, persisted across daemon restarts. A run
    /// in progress is not touched. A stopped job stays stopped (the switch applies when started).
    /// </summary>
    public Task SetEnabledAsync(bool enabled, CancellationToken cancellationToken) =>
        _commands.RunAsync(async () =>
        {
            _store.Update(s =>
            {
                var state = State(s);
                state.Enabled = enabled;
                // A disabled job owes no run: nothing it skipped counts as missed later.
                if (!enabled) state.NextDue = null;
            });
            _log.LogInformation("{Job} {Action} by user", Name, enabled ? "enabled" : "disabled");
            if (!_started) return;
            await DisarmAsync();
            Arm(enabled ? "enabled by user" : "disabled by user");
        }).WaitAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _commands.RunAsync(async () =>
        {
            _started = false;
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
