using Supervisor.Core.Readiness;
using Supervisor.Tests.TestSupport;
using Xunit;

namespace Supervisor.Tests.Readiness;

public sealed class HealthMonitorTests
{
    private readonly ManualTimeProvider _time = new();

    private static HealthSpec Spec(int retries = 3, int startPeriodSeconds = 0) =>
        new(new HttpProbeSpec(new Uri("http://127.0.0.1:8080/health")), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(2), retries, TimeSpan.FromSeconds(startPeriodSeconds));

    [Fact]
    public async Task Retries_failures_in_a_row_make_the_app_unhealthy_with_the_reason()
    {
        var start = _time.GetUtcNow();
        var probe = new ScriptedProbe(_time) { Otherwise = "timed out" };

        var reason = await _time.RunAsync(HealthMonitor.RunAsync(probe, Spec(), start, _time, null, CancellationToken.None));

        Assert.Equal("health: GET http://127.0.0.1:8080/health timed out 3 times", reason);
        Assert.Equal([10, 20, 30], probe.Checks.Select(c => (c.At - start).TotalSeconds));
        Assert.All(probe.Checks, c => Assert.Equal(TimeSpan.FromSeconds(2), c.Timeout));
    }

    [Fact]
    public async Task A_pass_starts_the_count_again()
    {
        var start = _time.GetUtcNow();
        var probe = new ScriptedProbe(_time, "timed out", "timed out", null) { Otherwise = "timed out" };

        await _time.RunAsync(HealthMonitor.RunAsync(probe, Spec(), start, _time, null, CancellationToken.None));

        Assert.Equal(TimeSpan.FromSeconds(60), _time.GetUtcNow() - start);
    }

    [Fact]
    public async Task Each_passing_check_is_told_so_a_verdict_of_unhealthy_can_be_lifted()
    {
        var start = _time.GetUtcNow();
        var passes = new List<double>();
        var probe = new ScriptedProbe(_time, "timed out", null, null, "timed out") { Otherwise = "timed out" };

        await _time.RunAsync(HealthMonitor.RunAsync(probe, Spec(), start, _time, null, CancellationToken.None,
            onPass: () => passes.Add((_time.GetUtcNow() - start).TotalSeconds)));

        Assert.Equal([20, 30], passes);
    }

    [Fact]
    public async Task Failures_within_start_period_do_not_count()
    {
        var start = _time.GetUtcNow();
        var counted = new List<int>();
        var probe = new ScriptedProbe(_time) { Otherwise = "answered 503" };

        await _time.RunAsync(HealthMonitor.RunAsync(probe, Spec(startPeriodSeconds: 25), start, _time, (n, _) => counted.Add(n), CancellationToken.None));

        Assert.Equal(TimeSpan.FromSeconds(50), _time.GetUtcNow() - start); // 10 and 20 s fell in the start period
        Assert.Equal([1, 2, 3], counted);
    }

    [Fact]
    public async Task Different_failures_are_named_by_the_last_one()
    {
        var probe = new ScriptedProbe(_time, "refused the connection", "answered 503");

        var reason = await _time.RunAsync(HealthMonitor.RunAsync(probe, Spec(retries: 2), _time.GetUtcNow(), _time, null, CancellationToken.None));

        Assert.Equal("health: GET http://127.0.0.1:8080/health failed 2 times in a row (last: answered 503)", reason);
    }

    [Fact]
    public async Task A_healthy_app_is_checked_until_its_run_ends()
    {
        using var stop = new CancellationTokenSource();
        var probe = new ScriptedProbe(_time) { Otherwise = null };
        var monitoring = HealthMonitor.RunAsync(probe, Spec(), _time.GetUtcNow(), _time, null, stop.Token);
        for (var i = 0; i < 5; i++)
        {
            await Eventually.TrueAsync(() => Task.FromResult(_time.PendingTimers > 0), TimeSpan.FromSeconds(10));
            _time.Advance(TimeSpan.FromSeconds(10));
        }

        await stop.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => monitoring);
        Assert.Equal(5, probe.Checks.Count);
    }
}
