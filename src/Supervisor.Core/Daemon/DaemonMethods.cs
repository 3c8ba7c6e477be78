using System.Text.Json;
using System.Text.Json.Nodes;
using Supervisor.Core.Config;
using Supervisor.Core.Platform;
using Supervisor.Core.Protocol;
using Supervisor.Core.Rpc;
using Supervisor.Core.Supervision;

namespace Supervisor.Core.Daemon;

/// <summary>
/// The daemon's RPC surface: one handler per method, each validating its parameters and
/// delegating to the registry or an app's owner. Documented in docs/rpc.md.
/// </summary>
public sealed partial class DaemonMethods(AppRegistry registry, SupervisorContext context, Action requestShutdown)
{
    public static string Version { get; } =
        typeof(DaemonMethods).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    public void Register(RpcDispatcher rpc)
    {
        rpc.Register("ping", (_, _) => Result(new JsonObject
        {
            ["pong"] = true,
            ["pid"] = Environment.ProcessId,
            ["version"] = Version,
        }));
        rpc.Register("version", (_, _) => Result(new JsonObject
        {
            ["version"] = Version,
            ["runtime"] = Environment.Version.ToString(),
            ["pid"] = Environment.ProcessId,
            ["sup_home"] = context.SupHome,
        }));
        rpc.Register("list", (_, _) => Result(Serialize(List(registry.All), ProtocolJson.Default.AppInfoArray)));
        rpc.Register("start", StartFileAsync);
        rpc.Register("reload", ReloadAsync);
        rpc.Register("startScript", StartScriptAsync);
        rpc.Register("stop", (c, ct) => ForEachAsync(c, (a, t) => { Wanted([a], running: false); return a.StopByUserAsync("stopped by user", t); }, ct));
        rpc.Register("restart", RestartAppsAsync);
        rpc.Register("delete", DeleteAsync);
        rpc.Register("describe", DescribeAsync);
        rpc.Register("signal", SignalAsync);
        rpc.Register("logPaths", LogPathsAsync);
        rpc.Register("flush", FlushAsync);
        rpc.Register("kill", KillAsync);
        RegisterJobs(rpc);
        RegisterLifecycle(rpc);
        RegisterObserve(rpc);
    }

    private static ValueTask<JsonNode?> Result(JsonNode? node) => ValueTask.FromResult(node);

    private static JsonNode? Serialize<T>(T value, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type) =>
        JsonSerializer.SerializeToNode(value, type);

    private AppInfo[] List(IEnumerable<IAppSupervisor> apps)
    {
        var now = context.Time.GetUtcNow();
        return apps.Select(a => AppInfoMapper.ToInfo(a, now)).ToArray();
    }

    private async ValueTask<JsonNode?> StartFileAsync(RpcRequestContext c, CancellationToken ct) =>
        await ApplyFileAsync(c, removeMissing: false, ct);

    private async ValueTask<JsonNode?> ReloadAsync(RpcRequestContext c, CancellationToken ct) =>
        await ApplyFileAsync(c, removeMissing: true, ct);

    private async Task<JsonNode?> ApplyFileAsync(RpcRequestContext c, bool removeMissing, CancellationToken ct)
    {
        var file = c.Params.GetRequiredString(0, "file");
        var options = new LoadOptions { EnvProfile = c.Params.GetString(1, "env"), Only = c.Params.GetString(2, "only") };
        var ecosystem = EcosystemLoader.Load(file, options);
        var plan = await registry.ApplyAsync(ecosystem, removeMissing, options.Only is not null, ct);
        await AfterApplyAsync(ecosystem, options, plan);
        var names = ecosystem.Apps.Select(a => a.Name).ToHashSet();
        plan = plan with { Apps = List(registry.All.Where(a => names.Contains(a.Name))) };
        if (Lifecycle?.StateWriteProblem is { } problem) plan = plan with { Warnings = [.. plan.Warnings, problem] };
        return Serialize(plan, ProtocolJson.Default.StartPlan);
    }

    private async ValueTask<JsonNode?> StartScriptAsync(RpcRequestContext c, CancellationToken ct)
    {
        var script = c.Params.GetRequiredString(0, "script");
        var name = c.Params.GetString(1, "name") ?? Path.GetFileNameWithoutExtension(script);
        var args = c.Params.GetStringArray(2, "args") ?? [];
        var cwd = c.Params.GetString(3, "cwd") ?? Environment.CurrentDirectory;
        var spec = AppSpecFactory.AdHoc(script, name, args, cwd);
        var app = await registry.AddAndStartAsync(spec, ct);
        Wanted([app], running: true);
        Lifecycle?.Persist();
        return Serialize(List([app]), ProtocolJson.Default.AppInfoArray);
    }

    private async ValueTask<JsonNode?> ForEachAsync(RpcRequestContext c, Func<IAppSupervisor, CancellationToken, Task> action, CancellationToken ct)
    {
        var apps = registry.Select(c.Params.GetRequiredString(0, "name"));
        await Task.WhenAll(apps.Select(a => action(a, ct)));
        return Serialize(List(apps), ProtocolJson.Default.AppInfoArray);
    }

    private async ValueTask<JsonNode?> DeleteAsync(RpcRequestContext c, CancellationToken ct)
    {
        var apps = registry.Select(c.Params.GetRequiredString(0, "name"));
        var names = apps.Select(a => a.Name).ToArray();
        foreach (var name in names) await registry.DeleteAsync(name, ct);
        await AfterDeleteAsync(names);
        return Serialize(names, ProtocolJson.Default.StringArray);
    }

    private ValueTask<JsonNode?> DescribeAsync(RpcRequestContext c, CancellationToken ct)
    {
        var name = c.Params.GetRequiredString(0, "name");
        var app = registry.Find(name) ?? throw SupException.NoSuchApp(name);
        var showSecrets = c.Params.GetBoolean(1, "show_secrets") ?? false;
        return Result(Serialize(AppDescriber.Describe(app, context, showSecrets), ProtocolJson.Default.AppDetail));
    }

    private async ValueTask<JsonNode?> SignalAsync(RpcRequestContext c, CancellationToken ct)
    {
        var signalText = c.Params.GetRequiredString(0, "signal");
        if (!Signals.TryParse(signalText, out var signal))
            throw new SupException(SupError.BadArgument, $"Unknown signal '{signalText}'. Use a name like SIGUSR1 or a number.");
        var apps = registry.Select(c.Params.GetRequiredString(1, "name"));
        var sent = new List<string>();
        foreach (var app in apps)
            if (await app.SignalAsync(signal, ct)) sent.Add(app.Name);
        if (sent.Count == 0)
            throw new SupException(SupError.Conflict,
                $"No running process to signal for '{c.Params.GetString(1, "name")}'. `sup ls` shows its status.");
        return Serialize(sent.ToArray(), ProtocolJson.Default.StringArray);
    }

    private ValueTask<JsonNode?> LogPathsAsync(RpcRequestContext c, CancellationToken ct)
    {
        var name = c.Params.GetString(0, "name");
        var apps = name is null ? registry.All : registry.Select(name);
        var paths = apps.Select(a => new LogPathsInfo(a.Name,
            a.Spec.OutFile ?? Logs.LogPaths.Out(context.SupHome, a.Name),
            a.Spec.MergeLogs ? a.Spec.OutFile ?? Logs.LogPaths.Out(context.SupHome, a.Name)
                : a.Spec.ErrorFile ?? Logs.LogPaths.Err(context.SupHome, a.Name))).ToArray();
        return Result(Serialize(paths, ProtocolJson.Default.LogPathsInfoArray));
    }

    private async ValueTask<JsonNode?> FlushAsync(RpcRequestContext c, CancellationToken ct)
    {
        var name = c.Params.GetString(0, "name");
        var apps = name is null ? registry.All : registry.Select(name);
        foreach (var app in apps)
            if (app is ILogOwner owner) await owner.Logs.TruncateAsync(ct);
        return Serialize(apps.Select(a => a.Name).ToArray(), ProtocolJson.Default.StringArray);
    }

    private async ValueTask<JsonNode?> KillAsync(RpcRequestContext c, CancellationToken ct)
    {
        // Stop every app before answering, so `sup kill` returning means the apps are gone.
        var count = registry.All.Count;
        await registry.StopAllAsync("daemon killed by user");
        // Shut down just after this reply is written: closing the server at once would drop it.
        _ = Task.Delay(TimeSpan.FromMilliseconds(100), context.Time, CancellationToken.None)
            .ContinueWith(_ => requestShutdown(), TaskScheduler.Default);
        return new JsonObject { ["stopped"] = count };
    }
}
