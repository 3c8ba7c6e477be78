using Microsoft.Extensions.Logging.Abstractions;
using Supervisor.Core.Config;
using Supervisor.Core.Logs;
using Supervisor.Core.Platform;
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

    /// <summary>Defaults: exp_backoff_restart_delay 5 s, max_restarts 5; the frozen clock makes every exit a fast crash.</summary>
    private ServiceSupervisor Create(string shellCommand, Func<AppSpec, AppSpec>? change = null)
    {
        var spec = new AppSpec { Name = "crasher", FileName = "/bin/sh", Arguments = ["-c", shellCommand], Cwd = _home };
        if (change is not null) spec = change(spec);
        var context = new SupervisorContext(ProcessControl.Current, _clock, NullLoggerFactory.Instance, _home);
        _logs = AppLogs.Open(spec, _home, _clock);
        return _supervisor = new ServiceSupervisor(spec, _logs, context);
    }

    private async Task<AppSnapshot> WaitForAsync(Func<AppSnapshot, bool> condition, string what) =>
        await Eventually.ValueAsync(() => Task.FromResult(_supervisor!.Snapshot()), condition, TimeSpan.FromSeconds(15), what);

    private async Task<AppSnapshot> WaitForTimerAsync(Func<AppSnapshot, bool> condition, string what)
    {
        var snapshot = await WaitForAsync(s => s.Status == AppStatus.Waiting && condition(s), what);
        Assert.True(await Eventually.TrueAsync(() => Task.FromResult(_clock.PendingTimers > 0), TimeSpan.FromSeconds(15)), "a delay is armed");
        return snapshot;
    }

    [Fact(Timeout = 60_000)]
    public async Task A_service_resumed_in_its_backoff_waits_out_the_rest_then_goes_on_doubling_with_its_counts()
    {
        var app = Create("exit 1");
        var until = _clock.GetUtcNow() + TimeSpan.FromSeconds(7);

        await app.ResumeAsync(new ResumedState(AppStatus.Waiting, 2, 2, until, "fast crash 2 of 5 (exit code 1 after 0ms); restarting in 10s"), CancellationToken.None);

        var resumed = await WaitForTimerAsync(_ => true, "resumed waiting");
        Assert.Equal(until, resumed.WaitingUntil);
        Assert.Equal(2, resumed.Restarts);
        Assert.Equal(2, resumed.FastCrashes);
        Assert.Null(resumed.Pid);
        _clock.Advance(TimeSpan.FromSeconds(7) - TimeSpan.FromMilliseconds(1));
        await Task.Delay(50);
        Assert.Equal(AppStatus.Waiting, app.Snapshot().Status);
        _clock.Advance(TimeSpan.FromMilliseconds(1));

        // Fast crashes 3 and 4 wait 20 s and 40 s, as they would have under the dead daemon; the 5th gives up.
        foreach (var (crash, delay) in new[] { (3, 20), (4, 40) })
        {
            var waiting = await WaitForTimerAsync(s => s.FastCrashes == crash, $"fast crash {crash}");
            Assert.Equal(_clock.GetUtcNow() + TimeSpan.FromSeconds(delay), waiting.WaitingUntil);
            Assert.Equal(crash, waiting.Restarts);
            _clock.Advance(TimeSpan.FromSeconds(delay));
        }
        var errored = await WaitForAsync(s => s.Status == AppStatus.Errored, "errored");
        Assert.Equal("5 fast crashes, last exit code 1", errored.Reason);
        Assert.Equal(4, errored.Restarts);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_service_resumed_after_its_backoff_was_due_starts_at_once()
    {
        var app = Create("exec sleep 300");

        await app.ResumeAsync(new ResumedState(AppStatus.Waiting, 1, 1, _clock.GetUtcNow() - TimeSpan.FromSeconds(3), "fast crash 1 of 5"), CancellationToken.None);

        var online = await WaitForAsync(s => s.Status == AppStatus.Online, "online");
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
        Assert.Equal(0, _clock.PendingTimers);

        await app.StopAsync("user", CancellationToken.None);
        Assert.Equal(AppStatus.Stopped, app.Snapshot().Status);
        await app.StartAsync("user", CancellationToken.None);
        await WaitForAsync(s => s.Status == AppStatus.Online, "started by the user");
    }

    [Fact(Timeout = 60_000)]
    public async Task A_stop_during_a_resumed_backoff_leaves_it_stopped()
    {
        var app = Create("exec sleep 300");
        await app.ResumeAsync(new ResumedState(AppStatus.Waiting, 1, 1, _clock.GetUtcNow() + TimeSpan.FromSeconds(5), "fast crash 1 of 5"), CancellationToken.None);
        await WaitForTimerAsync(_ => true, "resumed waiting");

        await app.StopAsync("user", CancellationToken.None);
        _clock.Advance(TimeSpan.FromMinutes(1));
        await Task.Delay(100);

        Assert.Equal(AppStatus.Stopped, app.Snapshot().Status);
        Assert.Null(app.Snapshot().Pid);
    }
}
