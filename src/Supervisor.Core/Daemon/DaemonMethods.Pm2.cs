using Supervisor.Core.Config;
using Supervisor.Core.Protocol;
using Supervisor.Core.Supervision;
using Supervisor.Core.Supervision.Cluster;

namespace Supervisor.Core.Daemon;

/// <summary>The PM2 verbs sup had no method for: `start NAME`, `reload NAME`, `scale`, `env`.</summary>
public sealed partial class DaemonMethods
{
    /// <summary>`sup start NAME`: a loaded app that is not running (stopped, errored, autostart: false) starts; a running one is left alone.</summary>
    public async Task<AppInfo[]> StartAppAsync(string name, CancellationToken cancellationToken)
    {
        var apps = Select(name);
        await Task.WhenAll(apps
            .Where(a => a.Snapshot().Status is AppStatus.Stopped or AppStatus.Errored)
            .Select(a => a.StartAsync("started by user", cancellationToken)));
        Wanted(apps, running: true);
        Lifecycle?.Persist();
        return List(apps);
    }

    /// <summary>
    /// `sup reload NAME`: PM2's reload. A cluster replaces its workers one by one, so its port
    /// never stops answering; any other app restarts (PM2's fork-mode reload is a restart).
    /// </summary>
    public async Task<AppInfo[]> ReloadAppAsync(string name, CancellationToken cancellationToken)
    {
        var apps = Select(name);
        await Task.WhenAll(apps.Select(async a =>
        {
            if (a.Spec.ClusterInstances is null || !await ClusterControl.ReloadAsync(a, context, cancellationToken))
                await a.RestartAsync("reloaded by user", cancellationToken);
        }));
        Wanted(apps, running: true);
        Lifecycle?.Persist();
        return List(apps);
    }

    /// <summary>`sup scale NAME N`: a cluster forks or stops workers; instances NAME-0.. are added or deleted (the highest first).</summary>
    public async Task<AppInfo[]> ScaleAsync(string name, int instances, CancellationToken cancellationToken)
    {
        Required(name, nameof(name), 0);
        if (instances is < 1 or > EcosystemLimits.MaxInstances)
            throw new SupException(SupError.BadArgument, $"Cannot scale to {instances}: give 1 to {EcosystemLimits.MaxInstances} instances (`sup stop {name}` stops them all).");
        if (registry.FindByNameOrId(name) is { Spec.ClusterInstances: not null } cluster)
        {
            ClusterFiles.WriteScale(context.SupHome, cluster.Spec, instances);
            await ClusterControl.ResizeAsync(cluster, instances, context, cancellationToken);
            return List([cluster]);
        }

        var group = await new ForkScale(registry).ScaleAsync(registry.Resolve(name), instances, cancellationToken);
        Wanted(group, running: true);
        Lifecycle?.Persist();
        return List(group);
    }

    /// <summary>`sup env NAME|ID`: the environment the app's process has (read from it while it runs), secrets masked unless asked.</summary>
    public Task<Dictionary<string, string>> EnvAsync(string name, bool showSecrets, CancellationToken cancellationToken)
    {
        var app = registry.FindByNameOrId(Required(name, nameof(name), 0)) ?? throw SupException.NoSuchApp(name);
        var resolved = registry.Resolve(name);
        var env = AppEnvironment.Of(app, context, app.Name == resolved ? null : resolved);
        return Task.FromResult(showSecrets ? env : env.ToDictionary(kv => kv.Key, kv => SecretMask.EnvValue(kv.Key, kv.Value), StringComparer.Ordinal));
    }
}
