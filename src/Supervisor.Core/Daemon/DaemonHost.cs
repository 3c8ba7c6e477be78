using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Supervisor.Core.Config;
using Supervisor.Core.Keeper;
using Supervisor.Core.Logs;
using Supervisor.Core.Platform;
using StreamJsonRpc;
using Supervisor.Core.Protocol;
using Supervisor.Core.Rpc;
using Supervisor.Core.Scheduling;
using Supervisor.Core.Supervision;

namespace Supervisor.Core.Daemon;

/// <summary>
/// The daemon's life: take the lock, write sup.pid, serve RPC, sample resources, and on
/// SIGTERM/SIGINT or `sup kill` stop every app in parallel, clean up and exit.
/// </summary>
public sealed class DaemonHost
{
    private static readonly TimeSpan SampleEvery = TimeSpan.FromSeconds(2);

    private readonly SupPaths _paths;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _shutdown = new();

    public DaemonHost(SupPaths paths, TimeProvider time)
    {
        _paths = paths;
        _time = time;
    }

    public void RequestShutdown() => _shutdown.Cancel();

    /// <summary>`sup daemon --resurrect` (the boot unit): start the saved set once serving.</summary>
    public bool ResurrectAtStart { get; init; }

    /// <summary>`sup keeper` as this binary runs it: started when this daemon's keeper dies (null: none is).</summary>
    public (string FileName, IReadOnlyList<string> Arguments)? KeeperCommand { get; init; }

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        SecureDirectory.Create(_paths.Home);
        Directory.CreateDirectory(_paths.LogsDir);
        Directory.CreateDirectory(_paths.PidsDir);

        using var daemonLock = DaemonLock.Acquire(_paths);
        using var loggerFactory = DaemonLog.Create(_paths.DaemonLog, LogLevel.Information, _time, DaemonLog.RotationFromEnvironment());
        var log = loggerFactory.CreateLogger("daemon");
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _shutdown.Token);
        using var signals = RegisterSignals(log);
        // Taken out of the environment before any app is spawned: apps must not inherit sup's NOTIFY_SOCKET.
        using var systemd = OperatingSystem.IsWindows() ? null : SystemdNotify.FromEnvironment();
        foreach (var leftover in AtomicFile.DeleteLeftovers(_paths.Home).Concat(AtomicFile.DeleteLeftovers(_paths.PidsDir)))
            log.LogWarning("deleted {Path}, a temporary file left by a crash", leftover);

        AtomicFile.WriteAllText(_paths.PidFile, Environment.ProcessId + "\n", durable: false); // stale after a reboot anyway
        var socketPath = RpcServer.ResolveSocketPath(_paths.Home, out var notice);
        if (notice is not null) log.LogWarning("{Notice}", notice);
        log.LogInformation("sup daemon {Version} started, pid {Pid}, SUP_HOME {Home}, socket {Socket}",
            DaemonMethods.Version, Environment.ProcessId, _paths.Home, socketPath);

        await using var store = new StateStore(_paths.StateFile, loggerFactory.CreateLogger("state"), _time);
        var control = ProcessControl.Current;
        using var keeper = OperatingSystem.IsLinux() ? KeeperLink.FromEnvironment(log) : null;
        if (OperatingSystem.IsLinux()) KeeperLink.Current = keeper;
        var journal = new Journal(_paths, loggerFactory.CreateLogger("journal"));
        var recovery = await new OrphanSweeper(_paths, store, journal, keeper, control, _time, log).SweepAsync(linked.Token);
        var outside = recovery.Foreign;
        store.Update(s => s.CleanShutdown = false);

        using var orphans = OperatingSystem.IsLinux() ? AdoptedOrphans.TryStart(loggerFactory.CreateLogger("orphans")) : null;
        AppRegistry? apps = null;
        DaemonLifecycle? files = null;
        var events = new Events.EventBus();
        var suspends = new Scheduling.SuspendDetector(_time);
        var context = new SupervisorContext(control, _time, loggerFactory, _paths.Home)
        {
            Events = events,
            Pause = new Scheduling.SchedulerPause(store),
            Suspends = suspends,
            External = ExternalProcessDetector.Instance,
            AdoptedBy = orphans is null ? null : name => OperatingSystem.IsLinux() ? orphans.Of(name) : [],
            PidChanged = (name, pid) =>
            {
                RecordIdentity(store, control, name, pid);
                RecordJournal(journal, apps, files, control, name, pid);
            },
            OutsideProcess = name => outside.TryGetValue(name, out var pid) ? pid : null,
            StatusChanged = app =>
            {
                RecordJournal(journal, apps, files, control, null, null); // the set first: a state names an app in it
                journal.RecordStatus(app.Name, app.Status, app.Restarts, app.FastCrashes, app.WaitingUntil, app.Reason);
            },
        };
        var random = new Random();
        await using var registry = new AppRegistry(context, (spec, logs) => CreateOwner(spec, logs, context, store, random)) { Ids = new AppIds(store) };
        apps = registry;

        await using var lifecycle = new DaemonLifecycle(_paths, registry, store, _time, loggerFactory.CreateLogger("lifecycle"), linked.Token);
        files = lifecycle;
        await RecoverAsync(recovery, registry, lifecycle, log, linked.Token);
        var respawner = OperatingSystem.IsLinux() && keeper is not null && KeeperCommand is { } keeperCommand
            ? new KeeperRespawner(_paths, keeperCommand.FileName, keeperCommand.Arguments, loggerFactory.CreateLogger("keeper"))
            : null;
        // One DaemonMethods per connection, so a streaming method knows where to send.
        var methods = RpcTargetMetadata.FromShape<ISupDaemon>();
        var startedAt = _time.GetUtcNow();
        // Notifications outlive the apps' stop, so an app's last events still go out; bounded by their timeouts.
        using var notifyStop = new CancellationTokenSource();
        var server = new RpcServer(socketPath,
            rpc => rpc.AddLocalRpcTarget(methods, new DaemonMethods(registry, context, RequestShutdown, rpc)
            {
                StartedAt = startedAt,
                Lifecycle = lifecycle,
                Replace = () => Replace(OperatingSystem.IsLinux() ? KeeperLink.Current : null, store, loggerFactory, log),
                KeeperRestart = () => OperatingSystem.IsLinux() ? respawner?.Restarted : null,
            }, null),
            loggerFactory.CreateLogger("rpc"));
        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan }; // each target's own timeout applies
        var notifying = new Notifications.NotificationDispatcher(events, name => registry.Find(name)?.Spec, _paths.Home,
            [new Notifications.ExecNotifier(_time), new Notifications.WebhookNotifier(http, _time), new Notifications.DesktopNotifier(_time)],
            _time, loggerFactory.CreateLogger("notify")).RunAsync(notifyStop.Token);
        var restartWith = RestartWith.RunAsync(events, registry, loggerFactory.CreateLogger("restart_with"), linked.Token);
        var serving = server.RunAsync(linked.Token);
        events.Publish(new Events.SupEvent(_time.GetUtcNow(), Events.EventKind.Started, Events.EventSource.Daemon, null,
            $"sup daemon {DaemonMethods.Version}, pid {Environment.ProcessId}"));
        if (OperatingSystem.IsLinux()) keeper?.Serving();
        // The socket listens once RunAsync has returned (it binds before its first await): Type=notify's READY=1.
        if (systemd is not null && !serving.IsCompleted) systemd.Send("READY=1");
        var watchdog = systemd?.WatchdogInterval is { } beat ? BeatAsync(systemd, beat, linked.Token) : Task.CompletedTask;
        var respawning = OperatingSystem.IsLinux() && keeper is not null && respawner is not null
            ? respawner.RunAsync(keeper, _time, linked.Token)
            : Task.CompletedTask;
        var watchingSleep = suspends.RunAsync(loggerFactory.CreateLogger("daemon"), tick: null, linked.Token);
        var sampling = SampleAsync(registry, context, linked.Token, () => RecordJournal(journal, apps, files, control, null, null));
        if (ResurrectAtStart) await lifecycle.ResurrectAtStartAsync(linked.Token);

        try
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, _time, linked.Token);
        }
        catch (OperationCanceledException)
        {
        }

        log.LogInformation("shutting down: stopping {Count} app(s)", registry.All.Count);
        systemd?.Send("STOPPING=1");
        if (OperatingSystem.IsLinux()) KeeperLink.Current?.Stopping(); // the keeper of now: a new one if the first died
        events.Publish(new Events.SupEvent(_time.GetUtcNow(), Events.EventKind.Stopping, Events.EventSource.Daemon, null,
            $"stopping {registry.All.Count} app(s)"));
        await registry.StopAllAsync("daemon shutting down");
        await notifyStop.CancelAsync();
        await notifying;
        await IgnoreCancellation(serving);
        await IgnoreCancellation(restartWith);
        await IgnoreCancellation(sampling);
        await IgnoreCancellation(respawning);
        await IgnoreCancellation(watchdog);
        await IgnoreCancellation(watchingSleep);
        store.Update(s => s.CleanShutdown = true);
        journal.Clear();
        TryDelete(socketPath);
        TryDelete(_paths.PidFile);
        log.LogInformation("sup daemon stopped");
        return 0;
    }

    private static IAppSupervisor CreateOwner(AppSpec spec, AppLogs logs, SupervisorContext context, StateStore store, Random random) =>
        spec.Kind switch
        {
            AppKind.Job => new JobSupervisor(spec, logs, context, store, random),
            _ => new ServiceSupervisor(spec, logs, context),
        };

    private static void RecordIdentity(StateStore store, IProcessControl control, string name, int? pid)
    {
        if (pid is int p && ProcessIdentity.Capture(control, p) is { } identity)
            store.Update(s => s.Running[name] = new RunningIdentity(p, identity.StartTimeTicks, null));
        else
            store.Update(s => s.Running.Remove(name));
    }

    /// <summary>
    /// `sup update` (RPC "replace": no params, result {pid}): this daemon exits without stopping
    /// any app, its journal intact; its keeper starts the sup now on disk, which adopts them all.
    /// </summary>
    private static Task<ReplaceResult> Replace(KeeperLink? keeper, StateStore store, ILoggerFactory loggerFactory, ILogger log)
    {
        if (!OperatingSystem.IsLinux() || keeper is null || keeper.Lost.IsCompleted)
            throw new SupException(SupError.Conflict,
                "This daemon runs without a keeper (`sup daemon` in a terminal, a boot unit, or SUP_NO_KEEPER=1), so nothing would start the new one. `sup kill`, then any command, starts the sup on disk (the apps restart).");
        log.LogInformation("sup update: replacing this daemon (pid {Pid}) with the sup now on disk; the apps keep running", Environment.ProcessId);
        // No wait for the reply to be written: `sup update` takes a connection closed before the
        // answer as the answer, and then waits for the new daemon (UpdateCommand).
        keeper.Replacing(); // a keeper this daemon started cannot see the exit code that says so
        _ = Task.Run(() =>
        {
            store.Flush();
            loggerFactory.Dispose();
            Environment.Exit(KeeperMessage.ReplaceMe);
        });
        return Task.FromResult(new ReplaceResult(Environment.ProcessId));
    }

    /// <summary>
    /// The journal follows the app set, and each running app's identity, before its PID file
    /// (<paramref name="name"/> null: only the set, on the sampling tick, for deletes and stops).
    /// </summary>
    private static void RecordJournal(Journal journal, AppRegistry? registry, DaemonLifecycle? lifecycle, IProcessControl control, string? name, int? pid)
    {
        if (registry is null || lifecycle is null) return;
        var all = registry.All;
        var jobsEnabled = all.OfType<JobSupervisor>().ToDictionary(j => j.Name, j => j.Enabled, StringComparer.Ordinal);
        journal.RecordApps([.. all.Select(a => a.Spec)], lifecycle.Files.All, jobsEnabled);
        if (name is null) return;
        if (pid is int p && ProcessIdentity.Capture(control, p) is { } identity)
            journal.RecordRunning(name, p, identity.StartTimeTicks, registry.Find(name)?.Snapshot().Restarts ?? 0);
        else
            journal.RecordStopped(name);
    }

    /// <summary>
    /// Before serving: the apps of a daemon that died come back as they were. Adopted ones keep
    /// their process; the others the user wanted running start once; a service that was backing
    /// off (or starting, or errored) with no child resumes there; the rest are registered.
    /// </summary>
    private async Task RecoverAsync(Recovery recovery, AppRegistry registry, DaemonLifecycle lifecycle, ILogger log, CancellationToken cancellationToken)
    {
        var journal = recovery.Journal;
        if (journal.Apps.Count == 0) return;
        log.LogWarning("the previous daemon did not shut down: restoring its {Count} app(s) from the journal ({Adopted} adopted, {Restored} started again, {Resumed} resumed with no child)",
            journal.Apps.Count, recovery.Adopt.Count, recovery.Restore.Count, journal.Resumable.Count);
        foreach (var file in journal.Files) await lifecycle.Files.RememberAsync(file);
        var apps = journal.Apps.Select(spec => registry.Find(spec.Name) ?? registry.Add(spec)).ToList();
        // All at once: one by one, each adoption waited for the pumps of the ones before it,
        // which drain full pipes first (1 s for 20 busy writers on two loaded cores).
        await Task.WhenAll(apps.Select(app =>
        {
            var spec = app.Spec;
            if (recovery.Adopt.TryGetValue(spec.Name, out var adopted) && app is ServiceSupervisor service && OperatingSystem.IsLinux())
                return service.AdoptAsync(ChildProcess.Adopt(adopted.Process, service.Logs, _time), adopted.Restarts,
                    "adopted from the previous daemon", cancellationToken);
            // A job's step that outlived the daemon: the run goes on, and the schedule is armed
            // as a start would, unless the job was stopped (a `sup run` of a stopped job).
            if (recovery.Adopt.TryGetValue(spec.Name, out var step) && app is JobSupervisor job && OperatingSystem.IsLinux())
                return job.AdoptAsync(ChildProcess.Adopt(step.Process, job.Logs, _time), ProcFs.ReadEnvironment(step.Process.Pid, "SUP_"),
                    arm: spec.Autostart && !lifecycle.Desired.WantsStopped(spec.Name), "adopted from the previous daemon", cancellationToken);
            if (recovery.Restore.TryGetValue(spec.Name, out var reason) && !lifecycle.Desired.WantsStopped(spec.Name))
                return app.StartAsync(reason, cancellationToken);
            // No child ran: it was backing off, starting, or errored; it goes on from there, counts kept.
            if (journal.Resumable.TryGetValue(spec.Name, out var resumed) && app is ServiceSupervisor stalled && !lifecycle.Desired.WantsStopped(spec.Name))
                return stalled.ResumeAsync(resumed, cancellationToken);
            if (spec.Kind == AppKind.Job && spec.Autostart && !lifecycle.Desired.WantsStopped(spec.Name))
                return app.StartAsync("restored from the journal", cancellationToken);
            return Task.CompletedTask;
        }));
    }

    /// <summary>SIGTERM and SIGINT become a graceful shutdown (Cancel = true keeps the runtime from exiting at once).</summary>
    private IDisposable RegisterSignals(ILogger log)
    {
        if (OperatingSystem.IsWindows()) return new CompositeDisposable([]);
        void Handler(PosixSignalContext ctx)
        {
            ctx.Cancel = true;
            log.LogInformation("received {Signal}", ctx.Signal);
            RequestShutdown();
        }
        return new CompositeDisposable(
        [
            PosixSignalRegistration.Create(PosixSignal.SIGTERM, Handler),
            PosixSignalRegistration.Create(PosixSignal.SIGINT, Handler),
            PosixSignalRegistration.Create(PosixSignal.SIGQUIT, Handler),
        ]);
    }

    /// <summary>WATCHDOG=1 every <paramref name="beat"/> (half of the unit's WatchdogSec) while the daemon runs.</summary>
    private async Task BeatAsync(SystemdNotify systemd, TimeSpan beat, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(beat, _time);
        systemd.Send("WATCHDOG=1");
        while (await timer.WaitForNextTickAsync(cancellationToken))
            systemd.Send("WATCHDOG=1");
    }

    private async Task SampleAsync(AppRegistry registry, SupervisorContext context, CancellationToken cancellationToken, Action everyTick)
    {
        var sampler = new ResourceSampler(context.Control, context.Time);
        using var timer = new PeriodicTimer(SampleEvery, context.Time);
        while (await timer.WaitForNextTickAsync(cancellationToken))
        {
            everyTick();
            try { SampleOnce(registry, sampler); }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException)
            {
                // /proc entries vanish mid-read when processes exit; the next tick will do.
            }
        }
    }

    private static void SampleOnce(AppRegistry registry, ResourceSampler sampler)
    {
        var running = new List<(IAppSupervisor App, int Pid)>();
        foreach (var app in registry.All)
            if (app.RootPid is int pid) running.Add((app, pid));
        if (running.Count == 0) return;
        var usage = sampler.Sample(running.Select(r => r.Pid));
        foreach (var (app, pid) in running)
            if (usage.TryGetValue(pid, out var u)) app.ReportUsage(u);
    }

    private static async Task IgnoreCancellation(Task task)
    {
        try { await task; }
        catch (OperationCanceledException) { }
    }

    private static void TryDelete(string path)
    {
        try { File.Delete(path); }
        catch (IOException) { }
    }

    private sealed class CompositeDisposable(IDisposable[] items) : IDisposable
    {
        public void Dispose()
        {
            foreach (var item in items) item.Dispose();
        }
    }
}
