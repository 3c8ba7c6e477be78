using System.Text.Json.Nodes;
using Supervisor.Core.Config;
using Supervisor.Core.Protocol;
using Supervisor.Core.Rpc;
using Supervisor.Core.Supervision;

namespace Supervisor.Core.Daemon;

public sealed partial class DaemonMethods
{
    /// <summary>Saved set, desired states, loaded files; null only where a daemon is assembled without them.</summary>
    public DaemonLifecycle? Lifecycle { get; init; }

    private DaemonLifecycle RequireLifecycle() =>
        Lifecycle ?? throw new SupException(SupError.NotSupported, "This daemon was started without save/resurrect support.");

    private void RegisterLifecycle(RpcDispatcher rpc)
    {
        rpc.Register("save", (c, _) =>
        {
            var result = RequireLifecycle().Save(force: c.Params.GetBoolean(0, "force") ?? false);
            return Result(Serialize(result, ProtocolJson.Default.SaveResult));
        });
        rpc.Register("resurrect", async (_, ct) =>
        {
            var result = await RequireLifecycle().ResurrectAsync(ct);
            var names = result.Started.Concat(result.Stopped).Concat(result.AlreadyPresent).ToHashSet(StringComparer.Ordinal);
            result = result with { Apps = List(registry.All.Where(a => names.Contains(a.Name))) };
            return Serialize(result, ProtocolJson.Default.ResurrectResult);
        });
        rpc.Register("maxKillTimeout", (_, _) => Result(new JsonObject
        {
            ["max_kill_timeout_ms"] = (long)(Lifecycle?.MaxKillTimeout() ?? TimeSpan.Zero).TotalMilliseconds,
            ["apps"] = registry.All.Count,
        }));
    }

    /// <summary>`restart NAME [env]`: with env (--update-env), the app restarts with that environment under its own env.</summary>
    private async ValueTask<JsonNode?> RestartAppsAsync(RpcRequestContext c, CancellationToken ct)
    {
        var apps = registry.Select(c.Params.GetRequiredString(0, "name"));
        var shell = c.Params.Get(1, "env", ProtocolJson.Default.DictionaryStringString);
        if (shell is null)
        {
            await Task.WhenAll(apps.Select(a => a.RestartAsync("restarted by user", ct)));
            Lifecycle?.Desired.Want(apps.Select(a => a.Name), running: true);
        }
        else
        {
            var lifecycle = RequireLifecycle();
            await Task.WhenAll(apps.Select(a => lifecycle.RestartWithShellEnvironmentAsync(a, shell, ct)));
        }
        Lifecycle?.Persist();

        return Serialize(List(apps), ProtocolJson.Default.AppInfoArray);
    }

    /// <summary>A user started or stopped these apps: remembered in state.json for the next resurrect.</summary>
    private void Wanted(IEnumerable<IAppSupervisor> apps, bool running) =>
        Lifecycle?.Desired.Want(apps.Select(a => a.Name), running);

    private Task AfterApplyAsync(Ecosystem ecosystem, LoadOptions options, StartPlan plan) =>
        Lifecycle?.FileAppliedAsync(ecosystem, options, plan) ?? Task.CompletedTask;

    private Task AfterDeleteAsync(IReadOnlyCollection<string> names) =>
        Lifecycle?.AppsDeletedAsync(names) ?? Task.CompletedTask;
}
