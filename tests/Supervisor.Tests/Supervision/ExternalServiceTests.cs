using Microsoft.Extensions.Logging.Abstractions;
using Supervisor.Core.Config;
using Supervisor.Core.Events;
using Supervisor.Core.Logs;
using Supervisor.Core.Platform;
using Supervisor.Core.Supervision;
using Supervisor.Tests.TestSupport;
using Xunit;

namespace Supervisor.Tests.Supervision;

/// <summary>
/// detect_external with a stand-in finder and a hand-moved clock: the service stays `external`
/// while the outside copy runs, looks again exactly every poll interval, and starts its own
/// (a real child) once the copy is gone.
/// </summary>
public sealed class ExternalServiceTests : IAsyncLifetime
{
    private readonly string _home = Path.Combine("/tmp", "sup-t-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly ManualTimeProvider _clock = new();
    private readonly FakeFinder _finder = new();
    private readonly EventBus _events = new();
    private ServiceSupervisor? _supervisor;
    private AppLogs? _logs;

    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(2);

    private sealed class FakeFinder : IExternalProcessFinder
    {
        public volatile ExternalProcess? Running;
        public int Looks;

        public ExternalProcess? Find(ExternalSpec spec)
        {
            Interlocked.Increment(ref Looks);
            return Running;
        }
    }

    public Task InitializeAsync()
    {
        Directory.CreateDirectory(_home);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        if (_supervisor is not null) await _supervisor.DisposeAsync();
        if (_logs is not null) await _logs.DisposeAsync();
        Directory.Delete(_home, recursive: true);
    }

    private ServiceSupervisor Create(ExternalSpec? detect)
    {
        var spec = new AppSpec
        {
            Name = "server",
            FileName = "/bin/sh",
            Arguments = ["-c", "exec sleep 300"],
            Cwd = _home,
            DetectExternal = detect,
        };
        var context = new SupervisorContext(ProcessControl.Current, _clock, NullLoggerFactory.Instance, _home)
        {
            External = _finder,
            ExternalPollInterval = Poll,
            Events = _events,
        };
        _logs = AppLogs.Open(spec, _home, _clock);
        return _supervisor = new ServiceSupervisor(spec, _logs, context);
    }

    private async Task<AppSnapshot> WaitForAsync(Func<AppSnapshot, bool> condition, string what) =>
        await Eventually.ValueAsync(() => Task.FromResult(_supervisor!.Snapshot()), condition, TimeSpan.FromSeconds(15), what);

    private async Task WaitForPollTimerAsync() =>
        Assert.True(await Eventually.TrueAsync(() => Task.FromResult(_clock.PendingTimers > 0), TimeSpan.FromSeconds(15)), "the poll timer is armed");

    [Fact]
    public async Task A_running_external_copy_is_shown_with_its_pid_and_none_is_started_until_it_is_gone()
    {
        _finder.Running = new ExternalProcess(4242, "pid 4242 (python3 server.py)");
        var app = Create(new ExternalSpec("server.py", null));

        await app.StartAsync("test", CancellationToken.None);

        var external = await WaitForAsync(s => s.Status == AppStatus.External, "external");
        Assert.Equal(4242, external.Pid);
        Assert.Contains("pid 4242 (python3 server.py) runs outside sup", external.Reason);
        await WaitForPollTimerAsync();
        Assert.Equal(1, _finder.Looks);
        Assert.Single(_events.Recent(), e => e.Kind == EventKind.External && e.App == "server");

        // A hair before the interval nothing looks again; at the interval it does, and still waits.
        _clock.Advance(Poll - TimeSpan.FromMilliseconds(1));
        await Task.Delay(50);
        Assert.Equal(1, _finder.Looks);
        _clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(await Eventually.TrueAsync(() => Task.FromResult(_finder.Looks == 2 && _clock.PendingTimers > 0), TimeSpan.FromSeconds(15)), "looked again and re-armed");
        Assert.Equal(AppStatus.External, app.Snapshot().Status);

        // A second start while external starts nothing either.
        await app.StartAsync("again", CancellationToken.None);
        Assert.Equal(AppStatus.External, app.Snapshot().Status);

        _finder.Running = null;
        _clock.Advance(Poll);

        var online = await WaitForAsync(s => s.Status == AppStatus.Online, "online");
        Assert.NotEqual(4242, online.Pid);
        Assert.True(Processes.IsAlive(online.Pid!.Value));
        Assert.Contains(online.History, c => c.From == AppStatus.External && c.To == AppStatus.Starting && c.Reason.Contains("is gone", StringComparison.Ordinal));
        // Logged once: one transition into external, however many looks.
        Assert.Single(online.History, c => c.To == AppStatus.External);
    }

    [Fact]
    public async Task With_no_external_copy_the_service_starts_at_once()
    {
        var app = Create(new ExternalSpec(null, 8080));

        await app.StartAsync("test", CancellationToken.None);

        var online = await WaitForAsync(s => s.Status == AppStatus.Online, "online");
        Assert.DoesNotContain(online.History, c => c.To == AppStatus.External);
        Assert.Equal(1, _finder.Looks);
    }

    [Fact]
    public async Task Without_detect_external_nothing_is_looked_for()
    {
        _finder.Running = new ExternalProcess(1, "pid 1");
        var app = Create(null);

        await app.StartAsync("test", CancellationToken.None);

        await WaitForAsync(s => s.Status == AppStatus.Online, "online");
        Assert.Equal(0, _finder.Looks);
    }

    [Fact]
    public async Task Stopping_an_external_service_stops_the_watch_and_starts_nothing()
    {
        _finder.Running = new ExternalProcess(null, "a process sup cannot see (listening on port 8080)");
        var app = Create(new ExternalSpec(null, 8080));

        await app.StartAsync("test", CancellationToken.None);
        var external = await WaitForAsync(s => s.Status == AppStatus.External, "external");
        Assert.Null(external.Pid);

        await app.StopAsync("test stop", CancellationToken.None);
        _finder.Running = null;
        _clock.Advance(Poll * 3);
        await Task.Delay(100);

        Assert.Equal(AppStatus.Stopped, app.Snapshot().Status);
        Assert.Null(app.Snapshot().Pid);
    }
}
