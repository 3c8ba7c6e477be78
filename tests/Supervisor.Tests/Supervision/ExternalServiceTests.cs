using Supervisor.Core.Config;
using Supervisor.Core.Events;
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
    private readonly ServiceHarness _service = new();
    private readonly FakeFinder _finder = new();
    private readonly EventBus _events = new();

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

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _service.DisposeAsync().AsTask();

    private ServiceSupervisor Create(ExternalSpec? detect)
    {
        var spec = _service.Shell("server", "exec sleep 300") with
        {
            DetectExternal = detect,
        };
        return _service.Create(spec, context => context with
        {
            External = _finder,
            ExternalPollInterval = Poll,
            Events = _events,
        });
    }

    private async Task WaitForPollTimerAsync() =>
        Assert.True(await Eventually.TrueAsync(() => Task.FromResult(_service.Clock.PendingTimers > 0), TimeSpan.FromSeconds(15)), "the poll timer is armed");

    [Fact]
    public async Task A_running_external_copy_is_shown_with_its_pid_and_none_is_started_until_it_is_gone()
    {
        _finder.Running = new ExternalProcess(4242, "pid 4242 (python3 server.py)");
        var app = Create(new ExternalSpec("server.py", null));

        await app.StartAsync("test", CancellationToken.None);

        var external = await _service.WaitForAsync(s => s.Status == AppStatus.External, "external");
        Assert.Equal(4242, external.Pid);
        Assert.Contains("pid 4242 (python3 server.py) runs outside sup", external.Reason);
        await WaitForPollTimerAsync();
        Assert.Equal(1, _finder.Looks);
        Assert.Single(_events.Recent(), e => e.Kind == EventKind.External && e.App == "server");

        // A hair before the interval nothing looks again; at the interval it does, and still waits.
        _service.Clock.Advance(Poll - TimeSpan.FromMilliseconds(1));
        await Task.Delay(50);
        Assert.Equal(1, _finder.Looks);
        _service.Clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(await Eventually.TrueAsync(() => Task.FromResult(_finder.Looks == 2 && _service.Clock.PendingTimers > 0), TimeSpan.FromSeconds(15)), "looked again and re-armed");
        Assert.Equal(AppStatus.External, app.Snapshot().Status);

        // A second start while external starts nothing either.
        await app.StartAsync("again", CancellationToken.None);
        Assert.Equal(AppStatus.External, app.Snapshot().Status);

        _finder.Running = null;
        _service.Clock.Advance(Poll);

        var online = await _service.WaitForAsync(s => s.Status == AppStatus.Online, "online");
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

        var online = await _service.WaitForAsync(s => s.Status == AppStatus.Online, "online");
        Assert.DoesNotContain(online.History, c => c.To == AppStatus.External);
        Assert.Equal(1, _finder.Looks);
    }

    [Fact]
    public async Task Without_detect_external_nothing_is_looked_for()
    {
        _finder.Running = new ExternalProcess(1, "pid 1");
        var app = Create(null);

        await app.StartAsync("test", CancellationToken.None);

        await _service.WaitForAsync(s => s.Status == AppStatus.Online, "online");
        Assert.Equal(0, _finder.Looks);
    }

    [Fact]
    public async Task Stopping_an_external_service_stops_the_watch_and_starts_nothing()
    {
        _finder.Running = new ExternalProcess(null, "a process sup cannot see (listening on port 8080)");
        var app = Create(new ExternalSpec(null, 8080));

        await app.StartAsync("test", CancellationToken.None);
        var external = await _service.WaitForAsync(s => s.Status == AppStatus.External, "external");
        Assert.Null(external.Pid);

        await app.StopAsync("test stop", CancellationToken.None);
        _finder.Running = null;
        _service.Clock.Advance(Poll * 3);
        await Task.Delay(100);

        Assert.Equal(AppStatus.Stopped, app.Snapshot().Status);
        Assert.Null(app.Snapshot().Pid);
    }
}
