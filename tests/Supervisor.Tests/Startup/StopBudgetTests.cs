using Supervisor.Core.Startup;
using Xunit;

namespace Supervisor.Tests.Startup;

public sealed class StopBudgetTests
{
    [Theory]
    [InlineData(new double[0], 30)]
    [InlineData(new double[] { 5 }, 30)]
    [InlineData(new double[] { 5, 45 }, 55)]
    [InlineData(new double[] { 20.5 }, 31)]
    [InlineData(new double[] { 120 }, 130)]
    public void The_budget_is_the_longest_kill_timeout_plus_a_margin_and_at_least_thirty_seconds(double[] killTimeouts, int expectedSeconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), StopBudget.For(killTimeouts.Select(TimeSpan.FromSeconds)));
    }
}
