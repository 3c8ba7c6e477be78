using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Supervisor.Core.Config;
using Supervisor.Core.Protocol;
using Supervisor.Core.Scheduling;
using Supervisor.Core.Supervision;

namespace Supervisor.Core.Daemon;

/// <summary>
/// What outlives one daemon: the saved app set (save, resurrect), what the user wants of each
/// app (desired state), the files the apps came from (profiles, watch_config), and the shell
/// environment given with --update-env. The RPC handlers call in here; the registry stays the
/// only owner of the app set.
/// </summary>
public sealed partial class DaemonLifecycle : IAsyncDisposable
{
    private readonly SupPaths _paths;
    private readonly AppRegistry _registry;
    private readonly ILogger _log;
    private readonly CancellationToken _daemonStopping;
    private readonly SemaphoreSlim _resurrecting = new(1, 1);
    // What the app's env was before --update-env, and what it was set to: while the app still has
    // that env, a second --update-env starts again from the first, so the newest shell wins.
    private readonly ConcurrentDictionary<string, (IReadOnlyDictionary<string, string> Declared, IReadOnlyDictionary<string, string> Applied)> _shellEnv = new();

    private readonly StateStore _store;

    /// <param name="daemonStopping">Once the daemon shuts down, a changed file must not start apps again.</param>
    public DaemonLifecycle(SupPaths paths, AppRegistry registry, StateStore store, TimeProvider time, ILogger log, CancellationToken daemonStopping)
    {
        _daemonStopping = daemonStopping;
        _paths = paths;
        _registry = registry;
        _store = store;
        _log = log;
        Desired = new DesiredStates(store);
        Files = new LoadedFiles(ReloadChangedFileAsync, time, log);
    }

    public DesiredStates Desired { get; }
    public LoadedFiles Files { get; }

    /// <summary>After `sup start FILE` / `sup reload FILE` (or a watch_config reload) applied a file.</summary>
    public async Task FileAppliedAsync(Ecosystem ecosystem, LoadOptions options, StartPlan plan)
    {
        Desired.Want(plan.Started.Concat(plan.Restarted.Select(r => r.Name)), running: true);
        if (plan.RemovedWereDeleted) Desired.Forget(plan.Removed);
        await Files.RememberAsync(new LoadedFile(ecosystem.SourceFile, options.EnvProfile, options.Only, ecosystem.WatchConfig), (ecosystem.Included, ecosystem.IncludeGlobs));
        Persist();
    }

    /// <summary>
    /// Writes state.json now instead of after the store's short debounce: called before a start
    /// command answers, so that once `sup start` has returned, a daemon killed with SIGKILL leaves
    /// the pids it started on record, and the next daemon stops them instead of losing track.
    /// </summary>
    public void Persist() => _store.Flush();

    /// <summary>Why state.json could not be written just now (the writer retries), for a command's warnings.</summary>
    public string? StateWriteProblem => _store.WriteProblem;

    /// <summary>After `sup delete`: forget the wishes, and stop watching files none of whose apps is left.</summary>
    public async Task AppsDeletedAsync(IReadOnlyCollection<string> names)
    {
        Desired.Forget(names);
        foreach (var name in names) _shellEnv.TryRemove(name, out _);
        foreach (var file in Files.All)
            if (!_registry.All.Any(a => a.Spec.SourceFile == file.Path))
                await Files.ForgetAsync(file.Path);
    }

    /// <summary>The longest kill_timeout of any app: a boot unit must give the daemon's shutdown more than that.</summary>
    public TimeSpan MaxKillTimeout() =>
        _registry.All.Select(a => a.Spec.KillTimeout).DefaultIfEmpty(TimeSpan.Zero).Max();

    /// <summary>
    /// `sup restart NAME --update-env`: the app restarts with the shell's environment under its own
    /// env (see <see cref="ShellEnvironment"/>). The merged env becomes the app's env, so `sup save`
    /// keeps it and `sup describe` shows it.
    /// </summary>
    public async Task RestartWithShellEnvironmentAsync(IAppSupervisor app, IReadOnlyDictionary<string, string> shell, CancellationToken cancellationToken)
    {
        var current = app.Spec;
        var declared = _shellEnv.TryGetValue(app.Name, out var overlay) && ReferenceEquals(overlay.Applied, current.Env)
            ? overlay.Declared
            : current.Env;
        var merged = ShellEnvironment.Merge(declared, shell, ShellEnvironment.Current());
        _shellEnv[app.Name] = (declared, merged);

        const string reason = "restarted by user with the shell's environment (--update-env)";
        // An update restarts a running app with the new spec; one that is down is started after.
        await app.UpdateAsync(current with { Env = merged }, reason, cancellationToken);
        if (app.Snapshot().Status is AppStatus.Stopped or AppStatus.Errored)
            await app.RestartAsync(reason, cancellationToken);
        Desired.Want(app.Name, running: true);
    }

    public async ValueTask DisposeAsync()
    {
        await Files.DisposeAsync();
        _resurrecting.Dispose();
    }

    private static string Describe(StartPlan plan)
    {
        var parts = new List<string>();
        if (plan.Started.Count > 0) parts.Add("started " + string.Join(", ", plan.Started));
        if (plan.Restarted.Count > 0)
            parts.Add("restarted " + string.Join(", ", plan.Restarted.Select(r => $"{r.Name} ({string.Join(", ", r.Changes)})")));
        if (plan.Removed.Count > 0) parts.Add((plan.RemovedWereDeleted ? "deleted " : "not in file ") + string.Join(", ", plan.Removed));
        if (plan.Unchanged.Count > 0) parts.Add("unchanged " + string.Join(", ", plan.Unchanged));
        return parts.Count == 0 ? "no apps" : string.Join("; ", parts);
    }

    private IReadOnlyDictionary<string, bool> JobsEnabled() =>
        _registry.All.OfType<JobSupervisor>().ToDictionary(j => j.Name, j => j.Enabled, StringComparer.Ordinal);
}
