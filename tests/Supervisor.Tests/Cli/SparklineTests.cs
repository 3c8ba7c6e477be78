using Xunit;
using Supervisor.Cli.Output;

namespace Supervisor.Tests.Cli;

public sealed class SparklineTests
{
    [Fact]
    public void Samples_are_scaled_against_the_floor_when_they_stay_below_it()
    {
        Assert.Equal("▁▂▅█", Sparkline.Render([0, 10, 50, 100], 4, floor: 100));
    }

    [Fact]
    public void Samples_above_the_floor_are_scaled_against_the_largest()
    {
        Assert.Equal("▁▅█", Sparkline.Render([0, 100, 200], 3, floor: 100));
    }

    [Fact]
    public void A_short_history_is_right_aligned_and_a_long_one_shows_its_latest_samples()
    {
        Assert.Equal("   █", Sparkline.Render([100], 4, floor: 100));
        Assert.Equal("▁█", Sparkline.Render([100, 100, 0, 100], 2, floor: 100));
    }

    [Fact]
    public void Without_unicode_ascii_levels_stand_in()
    {
        Assert.Equal("_@", Sparkline.Render([0, 100], 2, floor: 100, unicode: false));
    }
}
