using Supervisor.Core.Config;
using Supervisor.Core.Supervision;
using Supervisor.Tests.TestSupport;
using Xunit;

namespace Supervisor.Tests.Supervision;

/// <summary>
/// The supervisor with real children but a hand-moved clock: the backoff Polly applies is
/// waited on the injected TimeProvider, so exact delays are checked without sleeping them.
/// </summary>
public sealed class ServiceSupervisorTests : IAsyncLifetime
{
    private readonly ServiceHarness _service = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _service.DisposeAsync().AsTask();

    private ServiceSupervisor Create(string shellCommand, Func<AppSpec, AppSpec>? change = null)
    {
        var spec = _service.Shell("crasher", shellCommand);
        if (change is not null) spec = change(spec);
        return _service.Create(spec);
    }

    [Fact]
    public async Task Crashing_app_is_restarted_with_doubling_delay_on_the_injected_clock_then_errored()
    {
        var app = Create("exit 1"); // the frozen clock makes every exit a fast crash

        await app.StartAsync("test", CancellationToken.None);

        var expected = new[] { 5, 10, 20, 40 };
        for (var i = 0; i < expected.Length; i++)
        {
            var waiting = await _service.WaitForBackoffAsync(s => s.FastCrashes == i + 1, $"backoff {i + 1}");
            Assert.Equal(_service.Clock.GetUtcNow() + TimeSpan.FromSeconds(expected[i]), waiting.WaitingUntil);

            // A hair before the delay nothing happens...
            _service.Clock.Advance(TimeSpan.FromSeconds(expected[i]) - TimeSpan.FromMilliseconds(1));
            await Task.Delay(50);
            Assert.Equal(AppStatus.Waiting, app.Snapshot().Status);
            Assert.Equal(i + 1, app.Snapshot().FastCrashes);

            // ...and at the delay the app starts again.
            _service.Clock.Advance(TimeSpan.FromMilliseconds(1));
        }

        var errored = await _service.WaitForAsync(s => s.Status == AppStatus.Errored, "errored");
        Assert.Equal("5 fast crashes, last exit code 1", errored.Reason);
        Assert.Equal(4, errored.Restarts);
        Assert.Equal(0, _service.Clock.PendingTimers);
    }

    [Fact]
    public async Task Restart_of_an_errored_app_starts_with_a_fresh_count()
    {
        var app = Create("exit 2", s => s with { MaxRestarts = 1 });
        await app.StartAsync("test", CancellationToken.None);
        await _service.WaitForAsync(s => s.Status == AppStatus.Errored, "errored after one fast crash");

        await app.RestartAsync("user", CancellationToken.None);

        var again = await _service.WaitForAsync(s => s.Status == AppStatus.Errored && s.History.Count(h => h.To == AppStatus.Errored) == 2, "errored again");
        Assert.Equal(1, again.FastCrashes);
    }

    [Fact]
    public async Task Stop_during_a_backoff_cancels_the_pending_restart()
    {
        var app = Create("exit 1");
        await app.StartAsync("test", CancellationToken.None);
        await _service.WaitForBackoffAsync(_ => true, "waiting");

        await app.StopAsync("user", CancellationToken.None);
        _service.Clock.Advance(TimeSpan.FromMinutes(10));
        await Task.Delay(100);

        var stopped = app.Snapshot();
        Assert.Equal(AppStatus.Stopped, stopped.Status);
        Assert.Null(stopped.Pid);
        Assert.Equal(1, stopped.FastCrashes);
    }

    [Fact]
    public async Task Every_transition_is_kept_with_its_reason()
    {
        var app = Create("exit 1", s => s with { MaxRestarts = 2 });
        await app.StartAsync("started by test", CancellationToken.None);
        await _service.WaitForBackoffAsync(_ => true, "waiting");
        _service.Clock.Advance(TimeSpan.FromSeconds(5));

        var errored = await _service.WaitForAsync(s => s.Status == AppStatus.Errored, "errored");

        Assert.Equal(
            ["starting", "online", "waiting", "starting", "online", "errored"],
            errored.History.Select(h => h.To.ToWire()));
        Assert.Equal("started by test", errored.History[0].Reason);
        Assert.Contains("restarting in 5s", errored.History[2].Reason);
    }
}
