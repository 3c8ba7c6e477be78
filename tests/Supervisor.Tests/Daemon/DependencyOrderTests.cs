using Microsoft.Extensions.Logging.Abstractions;
using Supervisor.Core.Config;
using Supervisor.Core.Daemon;
using Supervisor.Core.Platform;
using Supervisor.Core.Supervision;
using Supervisor.Tests.Config;
using Supervisor.Tests.TestSupport;
using Xunit;

namespace Supervisor.Tests.Daemon;

/// <summary>depends_on as the registry applies it: starts wait for dependencies, stops for dependants.</summary>
public sealed class DependencyOrderTests : IDisposable
{
    private readonly TempFolder _dir = new();
    private readonly List<string> _events = [];
    private readonly Dictionary<string, TaskCompletionSource> _pendingStarts = [];
    private readonly Dictionary<string, TaskCompletionSource> _pendingStops = [];

    public void Dispose() => _dir.Dispose();

    private AppRegistry Registry() => new(
        new SupervisorContext(null!, TimeProvider.System, NullLoggerFactory.Instance, _dir.Folder("home")),
        (spec, _) => new RecordingOwner(spec, this));

    private static Ecosystem File(params AppSpec[] apps) => new("/tmp/eco.yaml", apps, [], false);

    private static AppSpec Spec(string name, params string[] dependsOn) => new()
    {
        Name = name,
        FileName = "/bin/true",
        Arguments = [],
        Cwd = "/",
        SourceFile = "/tmp/eco.yaml",
        DependsOn = [.. dependsOn.Select(d => new Dependency(d, DependencyCondition.Ready))],
    };

    [Fact]
    public async Task A_dependant_starts_only_after_its_dependency_has_started()
    {
        var registry = Registry();
        var dbStarted = Hold(_pendingStarts, "db");

        var apply = registry.ApplyAsync(File(Spec("api", "db"), Spec("db"), Spec("other")), false, false, CancellationToken.None);

        Assert.True(await Until(() => Has("start db") && Has("start other")));
        Assert.False(Has("start api"));
        dbStarted.SetResult();
        await apply.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(_events.IndexOf("start db") < _events.IndexOf("start api"));
        await registry.DisposeAsync();
    }

    [Fact]
    public async Task Stopping_all_stops_dependants_before_their_dependencies()
    {
        var registry = Registry();
        await registry.ApplyAsync(File(Spec("worker", "api"), Spec("api", "db"), Spec("db")), false, false, CancellationToken.None);
        var workerStopped = Hold(_pendingStops, "worker");

        var stop = registry.StopAllAsync("test");

        Assert.True(await Until(() => Has("stop worker")));
        Assert.False(Has("stop api"));
        Assert.False(Has("stop db"));
        workerStopped.SetResult();
        await stop.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(["stop worker", "stop api", "stop db"], _events.Where(e => e.StartsWith("stop", StringComparison.Ordinal)));
        await registry.DisposeAsync();
    }

    private static Task<bool> Until(Func<bool> condition) =>
        Eventually.TrueAsync(() => Task.FromResult(condition()), TimeSpan.FromSeconds(10));

    private bool Has(string what)
    {
        lock (_events) return _events.Contains(what);
    }

    private static TaskCompletionSource Hold(Dictionary<string, TaskCompletionSource> pending, string name) =>
        pending[name] = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    private sealed class RecordingOwner(AppSpec spec, DependencyOrderTests test) : IAppSupervisor
    {
        public string Name => spec.Name;
        public AppSpec Spec => spec;
        public int? RootPid => null;
        public ResourceUsage? LastUsage => null;

        public AppSnapshot Snapshot() => new() { Name = Name, Kind = AppKind.Service, Status = AppStatus.Stopped };

        public Task StartAsync(string reason, CancellationToken cancellationToken) => Record("start", test._pendingStarts);

        public Task StopAsync(string reason, CancellationToken cancellationToken) => Record("stop", test._pendingStops);

        private Task Record(string what, Dictionary<string, TaskCompletionSource> pending)
        {
            lock (test._events) test._events.Add($"{what} {Name}");
            return pending.TryGetValue(Name, out var hold) ? hold.Task : Task.CompletedTask;
        }

        public Task RestartAsync(string reason, CancellationToken cancellationToken) => Task.CompletedTask;
        public Task ResetAsync(CancellationToken cancellationToken) => Task.CompletedTask;
        public Task UpdateAsync(AppSpec spec, string reason, CancellationToken cancellationToken) => Task.CompletedTask;
        public Task<bool> SignalAsync(int signal, CancellationToken cancellationToken) => Task.FromResult(false);
        public void ReportUsage(ResourceUsage usage) { }
        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
