using Supervisor.Core.Config;
using Supervisor.Core.Supervision;
using Supervisor.Tests.TestSupport;
using Xunit;

namespace Supervisor.Tests.Supervision;

/// <summary>
/// A service resumed where a dead daemon left it (Daemon/Journal's NAME.state): real children,
/// a hand-moved clock, so the rest of a backoff and the doubling after it are checked exactly.
/// </summary>
public sealed class ServiceResumeTests : IAsyncLifetime
{
    private readonly ServiceHarness _service = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _service.DisposeAsync().AsTask();

    /// <summary>Defaults: exp_backoff_restart_delay 5 s, max_restarts 5; the frozen clock makes every exit a fast crash.</summary>
    private ServiceSupervisor Create(string shellCommand, Func<AppSpec, AppSpec>? change = null)
    {
        var spec = _service.Shell("crasher", shellCommand);
        if (change is not null) spec = change(spec);
        return _service.Create(spec);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_service_resumed_in_its_backoff_waits_out_the_rest_then_goes_on_doubling_with_its_counts()
    {
        var app = Create("exit 1");
        var until = _service.Clock.GetUtcNow() + TimeSpan.FromSeconds(7);

        await app.ResumeAsync(new ResumedState(AppStatus.Waiting, 2, 2, until, "fast crash 2 of 5 (exit code 1 after 0ms); restarting in 10s"), CancellationToken.None);

        var resumed = await _service.WaitForBackoffAsync(_ => true, "resumed waiting");
        Assert.Equal(until, resumed.WaitingUntil);
        Assert.Equal(2, resumed.Restarts);
        Assert.Equal(2, resumed.FastCrashes);
        Assert.Null(resumed.Pid);
        _service.Clock.Advance(TimeSpan.FromSeconds(7) - TimeSpan.FromMilliseconds(1));
        await Task.Delay(50);
        Assert.Equal(AppStatus.Waiting, app.Snapshot().Status);
        _service.Clock.Advance(TimeSpan.FromMilliseconds(1));

        // Fast crashes 3 and 4 wait 20 s and 40 s, as they would have under the dead daemon; the 5th gives up.
        foreach (var (crash, delay) in new[] { (3, 20), (4, 40) })
        {
            var waiting = await _service.WaitForBackoffAsync(s => s.FastCrashes == crash, $"fast crash {crash}");
            Assert.Equal(_service.Clock.GetUtcNow() + TimeSpan.FromSeconds(delay), waiting.WaitingUntil);
            Assert.Equal(crash, waiting.Restarts);
            _service.Clock.Advance(TimeSpan.FromSeconds(delay));
        }
        var errored = await _service.WaitForAsync(s => s.Status == AppStatus.Errored, "errored");
        Assert.Equal("5 fast crashes, last exit code 1", errored.Reason);
        Assert.Equal(4, errored.Restarts);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_service_resumed_after_its_backoff_was_due_starts_at_once()
    {
        var app = Create("exec sleep 300");

        await app.ResumeAsync(new ResumedState(AppStatus.Waiting, 1, 1, _service.Clock.GetUtcNow() - TimeSpan.FromSeconds(3), "fast crash 1 of 5"), CancellationToken.None);

        var online = await _service.WaitForAsync(s => s.Status == AppStatus.Online, "online");
        Assert.Equal(1, online.Restarts);
        Assert.NotNull(online.Pid);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_service_resumed_errored_stays_errored_with_its_reason_until_a_command()
    {
        var app = Create("exec sleep 300");

        await app.ResumeAsync(new ResumedState(AppStatus.Errored, 4, 5, null, "5 fast crashes, last exit code 1"), CancellationToken.None);

        var errored = app.Snapshot();
        Assert.Equal(AppStatus.Errored, errored.Status);
        Assert.Equal("5 fast crashes, last exit code 1", errored.Reason);
        Assert.Equal(4, errored.Restarts);
        Assert.Null(errored.Pid);
        Assert.Equal(0, _service.Clock.PendingTimers);

        await app.StopAsync("user", CancellationToken.None);
        Assert.Equal(AppStatus.Stopped, app.Snapshot().Status);
        await app.StartAsync("user", CancellationToken.None);
        await _service.WaitForAsync(s => s.Status == AppStatus.Online, "started by the user");
    }

    [Fact(Timeout = 60_000)]
    public async Task A_stop_during_a_resumed_backoff_leaves_it_stopped()
    {
        var app = Create("exec sleep 300");
        await app.ResumeAsync(new ResumedState(AppStatus.Waiting, 1, 1, _service.Clock.GetUtcNow() + TimeSpan.FromSeconds(5), "fast crash 1 of 5"), CancellationToken.None);
        await _service.WaitForBackoffAsync(_ => true, "resumed waiting");

        await app.StopAsync("user", CancellationToken.None);
        _service.Clock.Advance(TimeSpan.FromMinutes(1));
        await Task.Delay(100);

        Assert.Equal(AppStatus.Stopped, app.Snapshot().Status);
        Assert.Null(app.Snapshot().Pid);
    }
}
