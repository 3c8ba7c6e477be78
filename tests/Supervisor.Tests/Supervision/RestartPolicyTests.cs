using Xunit;
using Supervisor.Core.Config;
using Supervisor.Core.Supervision;

namespace Supervisor.Tests.Supervision;

public sealed class RestartPolicyTests
{
    private static AppSpec Spec(Func<AppSpec, AppSpec>? change = null)
    {
        var spec = new AppSpec { Name = "web", FileName = "/bin/true", Arguments = [], Cwd = "/" };
        return change is null ? spec : change(spec);
    }

    private static readonly TimeSpan Short = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(5);

    [Fact]
    public void Fast_crashes_back_off_5_10_20_40_seconds_then_give_up_at_the_fifth()
    {
        var policy = new RestartPolicy(Spec());
        var delays = new List<TimeSpan>();
        var count = 0;
        RestartDecision decision;
        while (true)
        {
            decision = policy.Decide(Short, exitCode: 1, count);
            count = decision.FastCrashes;
            if (decision.Action != RestartAction.Restart) break;
            delays.Add(decision.Delay);
        }

        Assert.Equal([5, 10, 20, 40], delays.Select(d => d.TotalSeconds));
        Assert.Equal(RestartAction.GiveUp, decision.Action);
        Assert.Equal(5, decision.FastCrashes);
        Assert.Equal("5 fast crashes, last exit code 1", decision.Reason);
    }

    [Fact]
    public void A_run_longer_than_min_uptime_resets_the_count_and_restarts_after_restart_delay()
    {
        var policy = new RestartPolicy(Spec(s => s with { RestartDelay = TimeSpan.FromSeconds(2) }));

        var decision = policy.Decide(Long, exitCode: 1, previousFastCrashes: 4);

        Assert.Equal(RestartAction.Restart, decision.Action);
        Assert.Equal(0, decision.FastCrashes);
        Assert.Equal(TimeSpan.FromSeconds(2), decision.Delay);
    }

    [Fact]
    public void Exactly_min_uptime_is_not_a_fast_crash()
    {
        var policy = new RestartPolicy(Spec());

        var decision = policy.Decide(AppDefaults.MinUptime, exitCode: 1, previousFastCrashes: 3);

        Assert.Equal(0, decision.FastCrashes);
        Assert.Equal(TimeSpan.Zero, decision.Delay);
    }

    [Fact]
    public void After_a_long_run_the_next_fast_crash_starts_again_at_the_first_backoff()
    {
        var policy = new RestartPolicy(Spec());
        var afterLong = policy.Decide(Long, 1, previousFastCrashes: 4);

        var next = policy.Decide(Short, 1, afterLong.FastCrashes);

        Assert.Equal(1, next.FastCrashes);
        Assert.Equal(TimeSpan.FromSeconds(5), next.Delay);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    public void Exit_codes_in_stop_exit_codes_are_not_restarted(int code)
    {
        var policy = new RestartPolicy(Spec(s => s with { StopExitCodes = [0, 2] }));

        var decision = policy.Decide(Long, code, 0);

        Assert.Equal(RestartAction.Stay, decision.Action);
        Assert.Contains("stop_exit_codes", decision.Reason);
    }

    [Fact]
    public void An_exit_code_not_listed_is_restarted()
    {
        var policy = new RestartPolicy(Spec(s => s with { StopExitCodes = [0] }));

        Assert.Equal(RestartAction.Restart, policy.Decide(Long, 3, 0).Action);
    }

    [Fact]
    public void Autorestart_off_leaves_the_app_stopped_whatever_the_exit()
    {
        var policy = new RestartPolicy(Spec(s => s with { Autorestart = false }));

        Assert.Equal(RestartAction.Stay, policy.Decide(Short, 1, 0).Action);
        Assert.Equal(RestartAction.Stay, policy.Decide(Long, 0, 0).Action);
    }

    [Fact]
    public void Custom_backoff_base_and_max_restarts_are_honoured()
    {
        var policy = new RestartPolicy(Spec(s => s with
        {
            ExpBackoffRestartDelay = TimeSpan.FromMilliseconds(100),
            MaxRestarts = 3,
            MinUptime = TimeSpan.FromSeconds(2),
        }));

        var first = policy.Decide(TimeSpan.FromMilliseconds(500), 1, 0);
        var second = policy.Decide(TimeSpan.FromMilliseconds(500), 1, first.FastCrashes);
        var third = policy.Decide(TimeSpan.FromMilliseconds(500), 1, second.FastCrashes);

        Assert.Equal(TimeSpan.FromMilliseconds(100), first.Delay);
        Assert.Equal(TimeSpan.FromMilliseconds(200), second.Delay);
        Assert.Equal(RestartAction.GiveUp, third.Action);
    }

    [Fact]
    public void Backoff_is_capped_so_a_huge_max_restarts_cannot_overflow()
    {
        var policy = new RestartPolicy(Spec(s => s with { MaxRestarts = 1000 }));

        Assert.Equal(TimeSpan.FromDays(1), policy.BackoffAfter(200));
    }

    [Fact]
    public void A_signal_death_is_named_in_the_reason()
    {
        var policy = new RestartPolicy(Spec(s => s with { MaxRestarts = 1 }));

        var decision = policy.Decide(Short, 137, 0);

        Assert.Equal("1 fast crashes, last exit code 137 (SIGKILL)", decision.Reason);
    }
}
