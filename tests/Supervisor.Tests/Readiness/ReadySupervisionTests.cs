using Supervisor.Core.Readiness;
using Supervisor.Core.Supervision;
using Supervisor.Tests.TestSupport;
using Xunit;

namespace Supervisor.Tests.Readiness;

/// <summary>ready: in the supervisor, with real children and a hand-moved clock: ready_timeout is exact.</summary>
public sealed class ReadySupervisionTests : IAsyncLifetime
{
    private readonly ServiceHarness _service = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _service.DisposeAsync().AsTask();

    private ServiceSupervisor Create(string shellCommand, ProbeSpec ready)
    {
        var spec = _service.Shell("web", shellCommand) with
        {
            Ready = ready,
            MaxRestarts = 1,
        };
        return _service.Create(spec);
    }

    [Fact]
    public async Task An_app_is_starting_until_its_line_is_printed_then_online()
    {
        var app = Create("echo booting; sleep 0.3; echo 'listening on 8080'; exec sleep 300", new LogProbeSpec("^listening on \\d+$"));

        await app.StartAsync("test", CancellationToken.None);
        var starting = app.Snapshot();

        Assert.Equal(AppStatus.Starting, starting.Status);
        Assert.Equal($"pid {starting.Pid}; waiting for a log line matching /^listening on \\d+$/", starting.Reason);
        var online = await _service.WaitForAsync(s => s.Status == AppStatus.Online, "online");
        Assert.Equal(starting.Pid, online.Pid);
        Assert.Equal($"pid {online.Pid}; ready: a log line matching /^listening on \\d+$/ passed after 0s", online.Reason);
    }

    [Fact]
    public async Task Not_ready_at_ready_timeout_exactly_the_start_fails_under_the_restart_policy()
    {
        var app = Create("echo booting; exec sleep 300", new LogProbeSpec("listening"));
        await app.StartAsync("test", CancellationToken.None);
        var starting = await _service.WaitForAsync(s => s.Status == AppStatus.Starting && s.Pid is not null, "spawned");
        Assert.True(await Eventually.TrueAsync(() => Task.FromResult(_service.Clock.PendingTimers > 0), TimeSpan.FromSeconds(15)), "the ready timeout is armed");

        _service.Clock.Advance(ReadinessWaiter.DefaultReadyTimeout - TimeSpan.FromMilliseconds(1));
        await Task.Delay(100);
        Assert.Equal(AppStatus.Starting, app.Snapshot().Status);
        _service.Clock.Advance(TimeSpan.FromMilliseconds(1));

        var errored = await _service.WaitForAsync(s => s.Status == AppStatus.Errored, "errored");
        Assert.Equal("ready: a log line matching /listening/ did not pass within 30s (last: no matching line yet); gave up after 1 fast failure (max_restarts 1)", errored.Reason);
        Assert.False(Processes.IsAlive(starting.Pid!.Value), "the child that never got ready was stopped");
    }
}
