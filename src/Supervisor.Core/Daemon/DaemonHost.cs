using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Supervisor.Core.Config;
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

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        SecureDirectory.Create(_paths.Home);
        Directory.CreateDirectory(_paths.LogsDir);
        Directory.CreateDirectory(_paths.PidsDir);

        using var daemonLock = DaemonLock.Acquire(_paths);
        using var loggerFactory = DaemonLog.Create(_paths.DaemonLog, LogLevel.Information, _time);
        var log = loggerFactory.CreateLogger("daemon");
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _shutdown.Token);
        using var signals = RegisterSignals(log);

        AtomicFile.WriteAllText(_paths.PidFile, Environment.ProcessId + "\n", durable: false); // stale after a reboot anyway
        var socketPath = RpcServer.ResolveSocketPath(_paths.Home, out var notice);
        if (notice is not null) log.LogWarning("{Notice}", notice);
        log.LogInformation("sup daemon {Version} started, pid {Pid}, SUP_HOME {Home}, socket {Socket}",
            DaemonMethods.Version, Environment.ProcessId, _paths.Home, socketPath);

        await using var store = new StateStore(_paths.StateFile, loggerFactory.CreateLogger("state"), _time);
        var control = ProcessControl.Current;
        var outside = await new OrphanSweeper(_paths, store, control, _time, log).SweepAsync(linked.Token);
        store.Update(s => s.CleanShutdown = false);

        var context = new SupervisorContext(control, _time, loggerFactory, _paths.Home)
        {
            PidChanged = (name, pid) => RecordIdentity(store, control, name, pid),
            OutsideProcess = name => outside.TryGetValue(name, out var pid) ? pid : null,
        };
        var random = new Random();
        await using var registry = new AppRegistry(context, (spec, logs) => CreateOwner(spec, logs, context, store, random));

        await using var lifecycle = new DaemonLifecycle(_paths, registry, store, _time, loggerFactory.CreateLogger("lifecycle"), linked.Token);
        // One DaemonMethods per connection, so a streaming method knows where to send.
        var methods = RpcTargetMetadata.FromShape<ISupDaemon>();
        var server = new RpcServer(socketPath,
            rpc => rpc.AddLocalRpcTarget(methods, new DaemonMethods(registry, context, RequestShutdown, rpc) { Lifecycle = lifecycle }, null),
            loggerFactory.CreateLogger("rpc"));
        var serving = server.RunAsync(linked.Token);
        var sampling = SampleAsync(registry, context, linked.Token);
        if (ResurrectAtStart) await lifecycle.ResurrectAtStartAsync(linked.Token);

        try
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, _time, linked.Token);
        }
        catch (OperationCanceledException)
        {
        }

        log.LogInformation("shutting down: stopping {Count} app(s)", registry.All.Count);
        await registry.StopAllAsync("daemon shutting down");
        await IgnoreCancellation(serving);
        await IgnoreCancellation(sampling);
        store.Update(s => s.CleanShutdown = true);
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

    private async Task SampleAsync(AppRegistry registry, SupervisorContext context, CancellationToken cancellationToken)
    {
        var sampler = new ResourceSampler(context.Control, context.Time);
        using var timer = new PeriodicTimer(SampleEvery, context.Time);
        while (await timer.WaitForNextTickAsync(cancellationToken))
        {
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
