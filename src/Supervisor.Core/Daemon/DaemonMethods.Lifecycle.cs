using Supervisor.Core.Config;
using Supervisor.Core.Protocol;
using Supervisor.Core.Supervision;

namespace Supervisor.Core.Daemon;

public sealed partial class DaemonMethods
{
    /// <summary>Saved set, desired states, loaded files; null only where a daemon is assembled without them.</summary>
    public DaemonLifecycle? Lifecycle { get; init; }

    private DaemonLifecycle RequireLifecycle() =>
        Lifecycle ?? throw new SupException(SupError.NotSupported, "This daemon was started without save/resurrect support.");

    public Task<SaveResult> SaveAsync(bool force, CancellationToken cancellationToken) =>
        Task.FromResult(RequireLifecycle().Save(force));

    public async Task<ResurrectResult> ResurrectAsync(CancellationToken cancellationToken)
    {
        var result = await RequireLifecycle().ResurrectAsync(cancellationToken);
        var names = result.Started.Concat(result.Stopped).Concat(result.AlreadyPresent).ToHashSet(StringComparer.Ordinal);
        return result with { Apps = List(registry.All.Where(a => names.Contains(a.Name))) };
    }

    public Task<MaxKillTimeoutResult> MaxKillTimeoutAsync(CancellationToken cancellationToken) =>
        Task.FromResult(new MaxKillTimeoutResult((long)(Lifecycle?.MaxKillTimeout() ?? TimeSpan.Zero).TotalMilliseconds, registry.All.Count));

    /// <summary>`restart NAME [env]`: with env (--update-env), the app restarts with that environment under its own env.</summary>
    public async Task<AppInfo[]> RestartAsync(string name, Dictionary<string, string>? env, CancellationToken cancellationToken)
    {
        var apps = Select(name);
        if (env is null)
        {
            await Task.WhenAll(apps.Select(a => a.RestartAsync("restarted by user", cancellationToken)));
            Lifecycle?.Desired.Want(apps.Select(a => a.Name), running: true);
        }
        else
        {
            var lifecycle = RequireLifecycle();
            await Task.WhenAll(apps.Select(a => lifecycle.RestartWithShellEnvironmentAsync(a, env, cancellationToken)));
        }
        Lifecycle?.Persist();

        return List(apps);
    }

    /// <summary>A user started or stopped these apps: remembered in state.json for the next resurrect.</summary>
    private void Wanted(IEnumerable<IAppSupervisor> apps, bool running) =>
        Lifecycle?.Desired.Want(apps.Select(a => a.Name), running);

    private Task AfterApplyAsync(Ecosystem ecosystem, LoadOptions options, StartPlan plan) =>
        Lifecycle?.FileAppliedAsync(ecosystem, options, plan) ?? Task.CompletedTask;

    private Task AfterDeleteAsync(IReadOnlyCollection<string> names) =>
        Lifecycle?.AppsDeletedAsync(names) ?? Task.CompletedTask;
}
