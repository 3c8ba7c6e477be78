using Microsoft.Extensions.Logging.Abstractions;
using Supervisor.Core.Config;
using Supervisor.Core.Logs;
using Supervisor.Core.Platform;
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
    private readonly string _home = Path.Combine("/tmp", "sup-t-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly ManualTimeProvider _clock = new();
    private ServiceSupervisor? _supervisor;
    private AppLogs? _logs;

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

    private ServiceSupervisor Create(string shellCommand, Func<AppSpec, AppSpec>? change = null)
    {
        var spec = new AppSpec
        {
            Name = "crasher",
            FileName = "/bin/sh",
            Arguments = ["-c", shellCommand],
            Cwd = _home,
        };
        if (change is not null) spec = change(spec);
        var context = new SupervisorContext(ProcessControl.Current, _clock, NullLoggerFactory.Instance, _home);
        _logs = AppLogs.Open(spec, _home, _clock);
        return _supervisor = new ServiceSupervisor(spec, _logs, context);
    }

    private async Task<AppSnapshot> WaitForAsync(Func<AppSnapshot, bool> condition, string what) =>
        await Eventually.ValueAsync(() => Task.FromResult(_supervisor!.Snapshot()), condition, TimeSpan.FromSeconds(15), what);

    /// <summary>Waiting is shown just before Polly arms its delay; move the clock only once the timer exists.</summary>
    private async Task<AppSnapshot> WaitForBackoffAsync(Func<AppSnapshot, bool> condition, string what)
    {
        var snapshot = await WaitForAsync(s => s.Status == AppStatus.Waiting && condition(s), what);
        Assert.True(await Eventually.TrueAsync(() => Task.FromResult(_clock.PendingTimers > 0), TimeSpan.FromSeconds(15)), "Polly armed its delay");
        return snapshot;
    }

    [Fact]
    public async Task Crashing_app_is_restarted_with_doubling_delay_on_the_injected_clock_then_errored()
    {
        var app = Create("exit 1"); // the frozen clock makes every exit a fast crash

        await app.StartAsync("test", CancellationToken.None);

        var expected = new[] { 5, 10, 20, 40 };
        for (var i = 0; i < expected.Length; i++)
        {
            var waiting = await WaitForBackoffAsync(s => s.FastCrashes == i + 1, $"backoff {i + 1}");
            Assert.Equal(_clock.GetUtcNow() + TimeSpan.FromSeconds(expected[i]), waiting.WaitingUntil);

            // A hair before the delay nothing happens...
            _clock.Advance(TimeSpan.FromSeconds(expected[i]) - TimeSpan.FromMilliseconds(1));
            await Task.Delay(50);
            Assert.Equal(AppStatus.Waiting, app.Snapshot().Status);
            Assert.Equal(i + 1, app.Snapshot().FastCrashes);

            // ...and at the delay the app starts again.
            _clock.Advance(TimeSpan.FromMilliseconds(1));
        }

        var errored = await WaitForAsync(s => s.Status == AppStatus.Errored, "errored");
        Assert.Equal("5 fast crashes, last exit code 1", errored.Reason);
        Assert.Equal(4, errored.Restarts);
        Assert.Equal(0, _clock.PendingTimers);
    }

    [Fact]
    public async Task Restart_of_an_errored_app_starts_with_a_fresh_count()
    {
        var app = Create("exit 2", s => s with { MaxRestarts = 1 });
        await app.StartAsync("test", CancellationToken.None);
        await WaitForAsync(s => s.Status == AppStatus.Errored, "errored after one fast crash");

        await app.RestartAsync("user", CancellationToken.None);

        var again = await WaitForAsync(s => s.Status == AppStatus.Errored && s.History.Count(h => h.To == AppStatus.Errored) == 2, "errored again");
        Assert.Equal(1, again.FastCrashes);
    }

    [Fact]
    public async Task Stop_during_a_backoff_cancels_the_pending_restart()
    {
        var app = Create("exit 1");
        await app.StartAsync("test", CancellationToken.None);
        await WaitForBackoffAsync(_ => true, "waiting");

        await app.StopAsync("user", CancellationToken.None);
        _clock.Advance(TimeSpan.FromMinutes(10));
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
        await WaitForBackoffAsync(_ => true, "waiting");
        _clock.Advance(TimeSpan.FromSeconds(5));

        var errored = await WaitForAsync(s => s.Status == AppStatus.Errored, "errored");

        Assert.Equal(
            ["starting", "online", "waiting", "starting", "online", "errored"],
            errored.History.Select(h => h.To.ToWire()));
        Assert.Equal("started by test", errored.History[0].Reason);
        Assert.Contains("restarting in 5s", errored.History[2].Reason);
    }
}
