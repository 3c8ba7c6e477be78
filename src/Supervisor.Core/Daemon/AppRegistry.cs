using Microsoft.Extensions.Logging;
using Supervisor.Core.Config;
using Supervisor.Core.Logs;
using Supervisor.Core.Protocol;
using Supervisor.Core.Supervision;

namespace Supervisor.Core.Daemon;

/// <summary>
/// The set of apps the daemon owns, in the order they were added. Changes to the set
/// (apply a file, add, delete) are serialized by one gate; each app's own state belongs to
/// its supervisor.
/// </summary>
public sealed class AppRegistry(SupervisorContext context, Func<AppSpec, AppLogs, IAppSupervisor> createOwner) : IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly ILogger _log = context.Logging.CreateLogger("registry");
    private volatile IAppSupervisor[] _apps = [];

    public IReadOnlyList<IAppSupervisor> All => _apps;

    public IAppSupervisor? Find(string name) => Array.Find(_apps, a => a.Name == name);

    /// <summary>PM2's numeric ids; null where a registry is assembled without them (tests).</summary>
    public AppIds? Ids { get; init; }

    /// <summary>
    /// What a user typed for NAME: an app's name as is, else an id (`sup stop 0`) as the name that
    /// holds it. A name wins over an id, so an app named "3" is still reached by its name.
    /// </summary>
    public string Resolve(string nameOrId)
    {
        if (Find(nameOrId) is not null) return nameOrId;
        return Ids?.NameOf(nameOrId) ?? nameOrId;
    }

    /// <summary>The app a user's NAME|ID names, or null.</summary>
    public IAppSupervisor? FindByNameOrId(string nameOrId) => Find(Resolve(nameOrId)) ?? Supervision.Cluster.ClusterRows.OwnerOf(_apps, Resolve(nameOrId));

    /// <summary>The apps a user's NAME|ID|all selects; an unknown name is the user's error.</summary>
    public IReadOnlyList<IAppSupervisor> Select(string nameOrAll)
    {
        if (nameOrAll == "all") return _apps;
        nameOrAll = Resolve(nameOrAll);
        if (Find(nameOrAll) is { } app) return [app];
        // A worker row of a cluster (web-1) selects its cluster: the primary owns its workers.
        if (Supervision.Cluster.ClusterRows.OwnerOf(_apps, nameOrAll) is { } cluster) return [cluster];
        // `sup stop web` for instances web-0..web-N selects them all, like PM2.
        var instances = Array.FindAll(_apps, a => IsInstanceOf(a.Name, nameOrAll));
        if (instances.Length > 0) return instances;
        throw SupException.NoSuchApp(nameOrAll);
    }

    private static bool IsInstanceOf(string appName, string baseName) =>
        appName.Length > baseName.Length + 1
        && appName.StartsWith(baseName, StringComparison.Ordinal)
        && appName[baseName.Length] == '-'
        && appName.AsSpan(baseName.Length + 1).IndexOfAnyExceptInRange('0', '9') < 0;

    /// <summary>
    /// Applies an ecosystem file: new apps start, changed ones restart with the new spec,
    /// unchanged ones are left alone (started if they were down). Apps that came from the same
    /// file but are gone from it are reported, and with <paramref name="removeMissing"/> deleted.
    /// </summary>
    public async Task<StartPlan> ApplyAsync(Ecosystem ecosystem, bool removeMissing, bool onlySubset, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var started = new List<string>();
            var restarted = new List<ChangedApp>();
            var unchanged = new List<string>();
            var work = new List<Task>();
            // depends_on: each start waits for the starts of the apps it depends on; the rest
            // still run in parallel.
            var starts = new Dictionary<string, Task>(StringComparer.Ordinal);
            Task After(AppSpec spec, Func<Task> start)
            {
                var before = Prerequisites(spec);
                var task = before.Count == 0 ? start() : AfterAllAsync([WaitForAsync(spec.Name, before, cancellationToken)], start);
                starts[spec.Name] = task;
                return task;
            }

            // A service waits for its dependencies in its own run (status starting, "waiting for
            // db to be ready"), so this apply, and `sup start --no-wait`, return at once.
            Task StartAfter(AppSpec spec, IAppSupervisor owner, string reason)
            {
                var before = Prerequisites(spec);
                var task = before.Count == 0
                    ? owner.StartAsync(reason, cancellationToken)
                    : owner.StartAfterAsync(reason, WaitingFor(before), ct => WaitForAsync(spec.Name, before, ct), cancellationToken);
                starts[spec.Name] = task;
                return task;
            }

            List<Prerequisite> Prerequisites(AppSpec spec) =>
                [.. StartOrder.DependenciesOf(spec, ecosystem.Apps)
                    .Select(d => (d, app: Find(d.Name)))
                    .Where(p => p.app is not null)
                    .Select(p => new Prerequisite(p.d.Name, p.d.Condition, starts.GetValueOrDefault(p.d.Name, Task.CompletedTask), p.app!))];

            var sorted = StartOrder.Sort(ecosystem.Apps);
            // Every new app is registered before any of them starts: each start's first status
            // change journals the app set, and a set that grew between two starts is written again
            // (all of it), so adding as we went rewrote journal/apps.yaml once per app.
            var added = new Dictionary<string, IAppSupervisor>(StringComparer.Ordinal);
            foreach (var spec in sorted)
                if (Find(spec.Name) is null) added[spec.Name] = Add(spec);

            foreach (var spec in sorted)
            {
                if (added.TryGetValue(spec.Name, out var owner))
                {
                    if (spec.Autostart)
                    {
                        work.Add(StartAfter(spec, owner, "started from " + Path.GetFileName(ecosystem.SourceFile)));
                        started.Add(spec.Name);
                    }
                    else unchanged.Add(spec.Name);
                    continue;
                }

                var existing = Find(spec.Name)!;
                var changes = AppSpecDiff.Changes(existing.Spec, spec);
                if (changes.Count > 0)
                {
                    var reason = "config changed: " + string.Join(", ", changes);
                    work.Add(After(spec, () => UpdateAndStartAsync(existing, spec, reason, cancellationToken)));
                    restarted.Add(new ChangedApp(spec.Name, changes));
                }
                else if (existing.Snapshot().Status is AppStatus.Stopped or AppStatus.Errored && spec.Autostart)
                {
                    work.Add(StartAfter(spec, existing, "started from " + Path.GetFileName(ecosystem.SourceFile)));
                    started.Add(spec.Name);
                }
                else unchanged.Add(spec.Name);
            }

            var removed = new List<string>();
            if (!onlySubset)
            {
                foreach (var app in _apps)
                    if (app.Spec.SourceFile == ecosystem.SourceFile && !ecosystem.Apps.Any(s => s.Name == app.Name))
                        removed.Add(app.Name);
            }

            // Starts run in parallel: 100 apps should not wait on each other's fork/exec.
            await Task.WhenAll(work);
            if (removeMissing)
                foreach (var name in removed) await RemoveLockedAsync(name, "removed from " + ecosystem.SourceFile);

            return new StartPlan
            {
                Started = started,
                Restarted = restarted,
                Unchanged = unchanged,
                Removed = removed,
                RemovedWereDeleted = removeMissing,
                Warnings = ecosystem.Warnings.Select(w => w.ToString()).ToList(),
            };
        }
        finally
        {
            _gate.Release();
        }
    }

    private static async Task AfterAllAsync(IReadOnlyList<Task> before, Func<Task> start)
    {
        // A dependency that failed to start does not hold its dependants back for ever: they
        // start anyway once those starts returned; the failure itself is reported by its own task.
        try { await Task.WhenAll(before); }
        catch (Exception) { }
        await start();
    }

    /// <summary>One dependency of an app being started: its own start, and what it is awaited for.</summary>
    private sealed record Prerequisite(string Name, DependencyCondition Condition, Task Start, IAppSupervisor App);

    private static string WaitingFor(IEnumerable<Prerequisite> before) =>
        string.Join(", ", before.Select(p => p.Condition == DependencyCondition.Ready ? $"{p.Name} to be ready" : $"{p.Name} to start"));

    /// <summary>
    /// Each dependency's start, then its condition. One that ends errored or stopped does not
    /// hold its dependants back for ever: they start anyway, and daemon.log says so.
    /// </summary>
    private async Task WaitForAsync(string app, IReadOnlyList<Prerequisite> before, CancellationToken cancellationToken)
    {
        foreach (var p in before)
        {
            try { await p.Start.WaitAsync(cancellationToken); }
            catch (Exception) when (!cancellationToken.IsCancellationRequested) { }
            if (!await p.App.WaitUntilAsync(p.Condition, cancellationToken))
                _log.LogWarning("{App}: its dependency {Dependency} is {Status}, not {Condition}; starting it anyway",
                    app, p.Name, p.App.Snapshot().Status.ToWire(), p.Condition == DependencyCondition.Ready ? "ready" : "started");
        }
    }

    private static async Task UpdateAndStartAsync(IAppSupervisor app, AppSpec spec, string reason, CancellationToken cancellationToken)
    {
        await app.UpdateAsync(spec, reason, cancellationToken);
        if (spec.Autostart && app.Snapshot().Status is AppStatus.Stopped or AppStatus.Errored)
            await app.StartAsync(reason, cancellationToken);
    }

    /// <summary>Adds one app (ad-hoc `sup start SCRIPT --name`); an existing name is replaced only if unchanged.</summary>
    public async Task<IAppSupervisor> AddAndStartAsync(AppSpec spec, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (Find(spec.Name) is { } existing)
            {
                if (AppSpecDiff.Changes(existing.Spec, spec).Count > 0)
                    await existing.UpdateAsync(spec, "started again with new settings", cancellationToken);
                await existing.StartAsync("started", cancellationToken);
                return existing;
            }
            var owner = Add(spec);
            await owner.StartAsync("started", cancellationToken);
            return owner;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Registers an app without starting it (resurrect, restore after a crash).</summary>
    public IAppSupervisor Add(AppSpec spec)
    {
        var logs = AppLogs.Open(spec, context.SupHome, context.Time, _log);
        var owner = createOwner(spec, logs);
        _apps = [.. _apps, owner];
        // A cluster is listed as its workers' rows: they hold the ids, not the cluster itself.
        if (spec.ClusterInstances is null) Ids?.For(spec.Name);
        else
            for (var i = 0; i < Supervision.Cluster.ClusterFiles.Workers(context.SupHome, spec); i++)
                Ids?.For(Supervision.Cluster.ClusterRows.RowName(spec.Name, i));
        _log.LogInformation("{App} added ({Kind}) from {Source}", spec.Name,
            spec.Kind == AppKind.Job ? "job" : "service", spec.SourceFile ?? "the command line");
        return owner;
    }

    public async Task DeleteAsync(string name, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try { await RemoveLockedAsync(name, "deleted"); }
        finally { _gate.Release(); }
    }

    private async Task RemoveLockedAsync(string name, string reason)
    {
        if (Find(name) is not { } app) return;
        await app.StopAsync(reason, CancellationToken.None);
        _apps = Array.FindAll(_apps, a => a.Name != name);
        Ids?.Forget([name]);
        if (app.Spec.ClusterInstances is not null)
        {
            Ids?.ForgetRowsOf(name);
            Supervision.Cluster.ClusterFiles.Forget(context.SupHome, name);
        }
        await app.DisposeAsync();
        _log.LogInformation("{App} removed: {Reason}", name, reason);
    }

    /// <summary>
    /// Daemon shutdown: every app stops at once, so 50 apps take one kill_timeout, not fifty;
    /// except that an app with dependants (depends_on) stops only after they have stopped.
    /// </summary>
    public Task StopAllAsync(string reason)
    {
        var apps = _apps;
        var specs = apps.Select(a => a.Spec).ToList();
        // Computed once: per app per app would be cubic in the app count at shutdown.
        var dependantsOf = specs
            .SelectMany(s => StartOrder.DependencyNames(s, specs).Select(d => (Dependency: d, Dependant: s.Name)))
            .ToLookup(p => p.Dependency, p => p.Dependant, StringComparer.Ordinal);
        var stops = new Dictionary<string, Task>(StringComparer.Ordinal);
        foreach (var spec in StartOrder.Sort(specs).Reverse())
        {
            var app = Array.Find(apps, a => a.Name == spec.Name)!;
            var dependants = dependantsOf[spec.Name].Select(n => stops.GetValueOrDefault(n, Task.CompletedTask)).ToList();
            stops[spec.Name] = dependants.Count == 0
                ? app.StopAsync(reason, CancellationToken.None)
                : AfterAllAsync(dependants, () => app.StopAsync(reason, CancellationToken.None));
        }

        return Task.WhenAll(stops.Values);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAllAsync("daemon shutting down");
        foreach (var app in _apps) await app.DisposeAsync();
        _apps = [];
    }
}
