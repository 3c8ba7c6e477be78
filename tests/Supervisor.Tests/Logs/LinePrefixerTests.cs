using System.Text;
using Supervisor.Core;
using Supervisor.Core.Logs;
using Xunit;

namespace Supervisor.Tests.Logs;

public sealed class LinePrefixerTests
{
    private static readonly DateTimeOffset Morning = new(2026, 11, 22, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Prefix_is_the_local_time_in_the_format_then_a_colon()
    {
        var clock = new ManualTimeProvider(Morning.AddMilliseconds(123), ManualTimeProvider.PlusOneHour);
        var prefixer = new LinePrefixer("yyyy-MM-dd HH:mm:ss.fff zzz", clock);

        Assert.Equal("2026-11-22 09:00:00.123 +01:00: ", Encoding.UTF8.GetString(prefixer.Current().Span));
    }

    [Fact]
    public void Prefix_follows_the_clock()
    {
        var clock = new ManualTimeProvider(Morning, ManualTimeProvider.PlusOneHour);
        var prefixer = new LinePrefixer("HH:mm:ss.fff", clock);
        var first = Encoding.UTF8.GetString(prefixer.Current().Span);

        clock.Advance(TimeSpan.FromMilliseconds(1));

        Assert.Equal("09:00:00.000: ", first);
        Assert.Equal("09:00:00.001: ", Encoding.UTF8.GetString(prefixer.Current().Span));
    }

    [Fact]
    public void Prefix_is_formatted_once_per_millisecond()
    {
        var clock = new ManualTimeProvider(Morning, ManualTimeProvider.PlusOneHour);
        var prefixer = new LinePrefixer("HH:mm:ss", clock);

        var first = prefixer.Current();
        clock.Advance(TimeSpan.FromTicks(100));
        var second = prefixer.Current();

        Assert.True(first.Equals(second), "the same bytes should be reused within a millisecond");
    }

    [Theory]
    [InlineData("")]
    [InlineData("%")]
    public void An_invalid_format_is_reported_naming_it(string format)
    {
        var error = Assert.Throws<SupException>(() => new LinePrefixer(format, TimeProvider.System));

        Assert.Equal(SupError.InvalidConfig, error.Error);
        Assert.Contains("log_date_format", error.Message);
    }
}
