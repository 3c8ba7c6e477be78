using StreamJsonRpc;
using Supervisor.Core.Config;
using Supervisor.Core.Platform;
using Supervisor.Core.Protocol;
using Supervisor.Core.Rpc;
using Supervisor.Core.Supervision;

namespace Supervisor.Core.Daemon;

/// <summary>
/// The daemon's RPC surface (<see cref="ISupDaemon"/>, docs/rpc.md), one instance per
/// connection: each method validates its parameters and delegates to the registry or an
/// app's owner. <paramref name="peer"/> is the connection, for what a method streams back.
/// </summary>
public sealed partial class DaemonMethods(AppRegistry registry, SupervisorContext context, Action requestShutdown, JsonRpc? peer = null) : ISupDaemon
{
    public static string Version { get; } =
        typeof(DaemonMethods).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    public Task<PingResult> PingAsync(CancellationToken cancellationToken)
    {
        var keeper = KeeperRestart?.Invoke();
        return Task.FromResult(new PingResult(true, Environment.ProcessId, Version) { KeeperRestartedAt = keeper?.At, KeeperPid = keeper?.Pid });
    }

    /// <summary>When, and as which pid, a new keeper took over (Keeper/KeeperRespawner); set by DaemonHost.</summary>
    public Func<(DateTimeOffset At, int Pid)?>? KeeperRestart { get; init; }

    public Task<VersionResult> VersionAsync(CancellationToken cancellationToken) =>
        Task.FromResult(new VersionResult(Version, Environment.Version.ToString(), Environment.ProcessId, context.SupHome));

    public Task<AppInfo[]> ListAsync(CancellationToken cancellationToken) => Task.FromResult(List(registry.All));

    /// <summary>How this daemon hands over to the sup on disk (its keeper starts it); set by DaemonHost.</summary>
    public Func<Task<ReplaceResult>>? Replace { get; init; }

    public Task<ReplaceResult> ReplaceAsync(CancellationToken cancellationToken) =>
        Replace?.Invoke() ?? throw new SupException(SupError.Conflict, "This daemon cannot be replaced in place.");

    public Task<StartPlan> StartAsync(string file, string? env, string? only, CancellationToken cancellationToken) =>
        ApplyFileAsync(file, env, only, removeMissing: false, cancellationToken);

    public Task<StartPlan> ReloadAsync(string file, string? env, string? only, CancellationToken cancellationToken) =>
        ApplyFileAsync(file, env, only, removeMissing: true, cancellationToken);

    private AppInfo[] List(IEnumerable<IAppSupervisor> apps)
    {
        var now = context.Time.GetUtcNow();
        // A cluster is one owner (its primary) shown as one row per worker (Supervision/Cluster).
        return apps.SelectMany(a => Supervision.Cluster.ClusterRows.Rows(a, AppInfoMapper.ToInfo(a, now), context, now))
            .Select(row => registry.Ids is { } ids ? row with { Id = ids.For(row.Name) } : row)
            .ToArray();
    }

    private async Task<StartPlan> ApplyFileAsync(string file, string? env, string? only, bool removeMissing, CancellationToken ct)
    {
        var options = new LoadOptions { EnvProfile = env, Only = only, SupHome = context.SupHome };
        var ecosystem = EcosystemLoader.Load(Required(file, nameof(file), 0), options);
        var plan = await registry.ApplyAsync(ecosystem, removeMissing, options.Only is not null, ct);
        await AfterApplyAsync(ecosystem, options, plan);
        var names = ecosystem.Apps.Select(a => a.Name).ToHashSet();
        plan = plan with { Apps = List(registry.All.Where(a => names.Contains(a.Name))) };
        if (Lifecycle?.StateWriteProblem is { } problem) plan = plan with { Warnings = [.. plan.Warnings, problem] };
        HeapTrim.AfterBurst();
        return plan;
    }

    public async Task<AppInfo[]> StartScriptAsync(string script, string? name, string[]? args, string? cwd, CancellationToken cancellationToken)
    {
        Required(script, nameof(script), 0);
        var spec = AppSpecFactory.AdHoc(script, name ?? Path.GetFileNameWithoutExtension(script), args ?? [], cwd ?? Environment.CurrentDirectory);
        var app = await registry.AddAndStartAsync(spec, cancellationToken);
        Wanted([app], running: true);
        Lifecycle?.Persist();
        return List([app]);
    }

    public async Task<AppInfo[]> StopAsync(string name, CancellationToken cancellationToken)
    {
        var apps = Select(name);
        await Task.WhenAll(apps.Select(a => { Wanted([a], running: false); return a.StopByUserAsync("stopped by user", cancellationToken); }));
        return List(apps);
    }

    public async Task<string[]> DeleteAsync(string name, CancellationToken cancellationToken)
    {
        var names = Select(name).Select(a => a.Name).ToArray();
        foreach (var each in names) await registry.DeleteAsync(each, cancellationToken);
        await AfterDeleteAsync(names);
        return names;
    }

    public Task<AppDetail> DescribeAsync(string name, bool showSecrets, CancellationToken cancellationToken)
    {
        var app = registry.FindByNameOrId(Required(name, nameof(name), 0)) ?? throw SupException.NoSuchApp(name);
        return Task.FromResult(AppDescriber.Describe(app, context, showSecrets));
    }

    public async Task<string[]> SignalAsync(string signal, string name, CancellationToken cancellationToken)
    {
        if (!Signals.TryParse(Required(signal, nameof(signal), 0), out var parsed))
            throw new SupException(SupError.BadArgument, $"Unknown signal '{signal}'. Use a name like SIGUSR1 or a number.");
        var sent = new List<string>();
        foreach (var app in Select(name, position: 1))
            if (await app.SignalAsync(parsed, cancellationToken)) sent.Add(app.Name);
        if (sent.Count == 0)
            throw new SupException(SupError.Conflict, $"No running process to signal for '{name}'. `sup ls` shows its status.");
        return [.. sent];
    }

    public Task<LogPathsInfo[]> LogPathsAsync(string? name, CancellationToken cancellationToken)
    {
        var apps = name is null ? registry.All : registry.Select(name);
        return Task.FromResult(apps.Select(a => new LogPathsInfo(a.Name,
            Logs.LogPaths.OutOf(context.SupHome, a.Spec),
            Logs.LogPaths.ErrOf(context.SupHome, a.Spec))).ToArray());
    }

    public async Task<string[]> FlushAsync(string? name, CancellationToken cancellationToken)
    {
        var apps = name is null ? registry.All : registry.Select(name);
        foreach (var app in apps)
            if (app is ILogOwner owner) await owner.Logs.TruncateAsync(cancellationToken);
        return apps.Select(a => a.Name).ToArray();
    }

    public async Task<KillResult> KillAsync(CancellationToken cancellationToken)
    {
        // Stop every app before answering, so `sup kill` returning means the apps are gone.
        var count = registry.All.Count;
        await registry.StopAllAsync("daemon killed by user");
        // Shut down just after this reply is written: closing the server at once would drop it.
        _ = Task.Delay(TimeSpan.FromMilliseconds(100), context.Time, CancellationToken.None)
            .ContinueWith(_ => requestShutdown(), TaskScheduler.Default);
        return new KillResult(count);
    }

    private IReadOnlyList<IAppSupervisor> Select(string name, int position = 0) => registry.Select(Required(name, nameof(name), position));

    /// <summary>A required string parameter: missing, null or empty is -32602 naming it, not a failure further in.</summary>
    private static string Required(string? value, string parameter, int position) =>
        string.IsNullOrWhiteSpace(value)
            ? throw new RpcInvalidParamsException($"The parameter '{parameter}' (position {position}) is required and may not be empty.", parameter)
            : value;
}
