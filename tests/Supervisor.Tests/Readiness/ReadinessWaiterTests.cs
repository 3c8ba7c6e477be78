using Supervisor.Core.Readiness;
using Supervisor.Tests.TestSupport;
using Xunit;

namespace Supervisor.Tests.Readiness;

public sealed class ReadinessWaiterTests
{
    private readonly ManualTimeProvider _time = new();

    private TimeSpan Since(DateTimeOffset start, DateTimeOffset at) => at - start;

    [Fact]
    public async Task An_active_check_is_polled_after_200ms_then_doubling_up_to_1s_until_it_passes()
    {
        var start = _time.GetUtcNow();
        var probe = new ScriptedProbe(_time, "refused the connection", "refused the connection", "refused the connection", "refused the connection", "refused the connection", null);

        var outcome = await _time.RunAsync(ReadinessWaiter.WaitAsync(probe, TimeSpan.FromSeconds(30), _time, CancellationToken.None));

        Assert.True(outcome.Ready);
        Assert.Equal([0, 200, 600, 1400, 2400, 3400], probe.Checks.Select(c => Since(start, c.At).TotalMilliseconds));
        Assert.Equal(TimeSpan.FromMilliseconds(3400), outcome.Elapsed);
        Assert.All(probe.Checks, c => Assert.Equal(ReadinessWaiter.AttemptTimeout, c.Timeout));
    }

    [Fact]
    public async Task Past_ready_timeout_it_is_not_ready_with_the_last_failure()
    {
        var probe = new ScriptedProbe(_time) { Otherwise = "refused the connection" };

        var outcome = await _time.RunAsync(ReadinessWaiter.WaitAsync(probe, TimeSpan.FromSeconds(3), _time, CancellationToken.None));

        Assert.False(outcome.Ready);
        Assert.Equal(TimeSpan.FromSeconds(3), outcome.Elapsed);
        Assert.Equal("refused the connection", outcome.LastFailure);
        Assert.Equal(5, probe.Checks.Count); // 0, 0.2, 0.6, 1.4, 2.4 s; the pause after the last is cut to the 0.6 s left
    }

    [Fact]
    public async Task A_last_check_cut_short_by_the_deadline_that_times_out_keeps_the_answer_before_it()
    {
        // The fifth check (at 2.4 s) has only 0.6 s left and runs out of it.
        var probe = new ScriptedProbe(_time, "refused the connection", "refused the connection", "refused the connection", "refused the connection", "timed out");

        var outcome = await _time.RunAsync(ReadinessWaiter.WaitAsync(probe, TimeSpan.FromSeconds(3), _time, CancellationToken.None));

        Assert.Equal(TimeSpan.FromMilliseconds(600), probe.Checks[4].Timeout);
        Assert.Equal("refused the connection", outcome.LastFailure);
    }

    [Fact]
    public async Task A_check_that_times_out_with_its_whole_attempt_time_is_reported_as_timed_out()
    {
        var probe = new ScriptedProbe(_time, "refused the connection") { Otherwise = "timed out" };

        var outcome = await _time.RunAsync(ReadinessWaiter.WaitAsync(probe, TimeSpan.FromSeconds(30), _time, CancellationToken.None));

        Assert.False(outcome.Ready);
        Assert.Equal("timed out", outcome.LastFailure);
    }

    [Fact]
    public async Task A_check_never_runs_past_the_time_left()
    {
        var probe = new ScriptedProbe(_time, "timed out", null);

        await _time.RunAsync(ReadinessWaiter.WaitAsync(probe, TimeSpan.FromMilliseconds(500), _time, CancellationToken.None));

        Assert.Equal([TimeSpan.FromMilliseconds(500), TimeSpan.FromMilliseconds(300)], probe.Checks.Select(c => c.Timeout));
    }

    [Fact]
    public async Task A_passive_check_is_awaited_and_ready_the_moment_the_sign_comes()
    {
        var probe = new LogLineProbe(new LogProbeSpec("listening on port \\d+"));
        var waiting = ReadinessWaiter.WaitAsync(probe, TimeSpan.FromSeconds(30), _time, CancellationToken.None);
        await Eventually.TrueAsync(() => Task.FromResult(_time.PendingTimers > 0), TimeSpan.FromSeconds(10));

        _time.Advance(TimeSpan.FromSeconds(7));
        probe.Observe("booting"u8.ToArray());
        probe.Observe("listening on port 8080"u8.ToArray());
        var outcome = await waiting;

        Assert.True(outcome.Ready);
        Assert.Equal(TimeSpan.FromSeconds(7), outcome.Elapsed);
    }

    [Fact]
    public async Task A_passive_check_times_out_with_what_is_still_awaited()
    {
        var probe = new LogLineProbe(new LogProbeSpec("ready"));

        var outcome = await _time.RunAsync(ReadinessWaiter.WaitAsync(probe, TimeSpan.FromSeconds(30), _time, CancellationToken.None));

        Assert.False(outcome.Ready);
        Assert.Equal(TimeSpan.FromSeconds(30), outcome.Elapsed);
        Assert.Equal("no matching line yet", outcome.LastFailure);
    }

    [Fact]
    public async Task A_stopped_run_cancels_the_wait()
    {
        using var stop = new CancellationTokenSource();
        var waiting = ReadinessWaiter.WaitAsync(new ScriptedProbe(_time) { Otherwise = "refused" }, TimeSpan.FromSeconds(30), _time, stop.Token);

        await stop.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
    }
}
