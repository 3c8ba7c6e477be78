using Supervisor.Core.Config;
using Xunit;

namespace Supervisor.Tests.Config;

public sealed class DurationTests
{
    [Theory]
    [InlineData("500ms", 500)]
    [InlineData("10s", 10_000)]
    [InlineData("5m", 300_000)]
    [InlineData("6h", 21_600_000)]
    [InlineData("1d", 86_400_000)]
    [InlineData("0", 0)]
    [InlineData("1500", 1500)]
    [InlineData("1h30m", 5_400_000)]
    [InlineData("1m 30s", 90_000)]
    [InlineData("1.5s", 1500)]
    [InlineData(" 10S ", 10_000)]
    [InlineData("2H", 7_200_000)]
    public void Valid_durations_parse(string text, long milliseconds)
    {
        Assert.True(Duration.TryParse(text, out var value));
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), value);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("-5s")]
    [InlineData("-1")]
    [InlineData("5x")]
    [InlineData("s")]
    [InlineData("5 minutes")]
    [InlineData("5min")]
    [InlineData("1.s")]
    [InlineData(".5s")]
    [InlineData("1..5s")]
    [InlineData("99999999999999999999d")]
    public void Invalid_durations_are_refused(string? text)
    {
        Assert.False(Duration.TryParse(text, out _));
    }

    [Fact]
    public void Parse_throws_with_the_accepted_forms_in_the_message()
    {
        var error = Assert.Throws<FormatException>(() => Duration.Parse("soon"));

        Assert.Contains("500ms, 10s, 5m, 6h, 1d", error.Message);
    }

    [Theory]
    [InlineData(5_000, "5s")]
    [InlineData(1_500, "1500ms")]
    [InlineData(21_600_000, "6h")]
    [InlineData(5_400_000, "90m")]
    [InlineData(86_400_000, "1d")]
    [InlineData(0, "0s")]
    public void Format_gives_the_shortest_exact_form(long milliseconds, string expected)
    {
        Assert.Equal(expected, Duration.Format(TimeSpan.FromMilliseconds(milliseconds)));
    }

    [Fact]
    public void Formatted_durations_parse_back_to_the_same_value()
    {
        var random = new Random(20261122);
        for (var i = 0; i < 1000; i++)
        {
            var value = TimeSpan.FromTicks(random.NextInt64(0, TimeSpan.TicksPerDay * 400));

            Assert.True(Duration.TryParse(Duration.Format(value), out var parsed), Duration.Format(value));
            Assert.Equal(value, parsed);
        }
    }
}
