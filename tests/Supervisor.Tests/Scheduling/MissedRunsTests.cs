using Supervisor.Core.Scheduling;
using Xunit;

namespace Supervisor.Tests.Scheduling;

public sealed class MissedRunsTests
{
    private static readonly DateTimeOffset Now = new(2026, 5, 4, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_due_time_that_passed_without_a_run_was_missed()
    {
        Assert.True(MissedRuns.WasMissed(Now.AddDays(-3), Now));
        Assert.True(MissedRuns.WasMissed(Now.AddTicks(-1), Now));
    }

    [Fact]
    public void A_due_time_now_or_later_or_unknown_was_not_missed()
    {
        Assert.False(MissedRuns.WasMissed(Now, Now));
        Assert.False(MissedRuns.WasMissed(Now.AddMinutes(5), Now));
        Assert.False(MissedRuns.WasMissed(null, Now));
    }

    [Fact]
    public void A_timer_firing_far_later_than_planned_is_a_wall_clock_jump()
    {
        Assert.True(MissedRuns.IsWallClockJump(Now, Now.AddHours(2), TimeSpan.FromMinutes(1)));
        Assert.True(MissedRuns.IsWallClockJump(Now, Now.AddMinutes(-5), TimeSpan.FromMinutes(1)));
    }

    [Fact]
    public void A_timer_firing_within_the_tolerance_is_not_a_jump()
    {
        Assert.False(MissedRuns.IsWallClockJump(Now, Now.AddSeconds(30), TimeSpan.FromMinutes(1)));
        Assert.False(MissedRuns.IsWallClockJump(Now, Now.AddMinutes(1), TimeSpan.FromMinutes(1)));
    }
}
