using System.Globalization;
using Supervisor.Core.Scheduling;
using Xunit;

namespace Supervisor.Tests.Scheduling;

public sealed class ActiveHoursTests
{
    private static readonly TimeZoneInfo Utc = TimeZoneInfo.Utc;

    private static DateTimeOffset UtcAt(int day, int hour, int minute) => new(2026, 5, day, hour, minute, 0, TimeSpan.Zero);

    [Fact]
    public void A_window_is_parsed_and_written_back_as_configured()
    {
        var window = ActiveHours.Parse("07:00-23:00");

        Assert.Equal(new TimeOnly(7, 0), window.Start);
        Assert.Equal(new TimeOnly(23, 0), window.End);
        Assert.Equal("07:00-23:00", window.ToString());
        Assert.Equal("07:00-24:00", ActiveHours.Parse("7:00 - 24:00").ToString());
    }

    [Theory]
    [InlineData("06:59", false)]
    [InlineData("07:00", true)]
    [InlineData("12:00", true)]
    [InlineData("22:59", true)]
    [InlineData("23:00", false)]
    public void Start_is_inside_the_window_and_end_is_outside(string time, bool inside)
    {
        var instant = new DateTimeOffset(new DateTime(2026, 5, 4).Add(TimeOnly.Parse(time, CultureInfo.InvariantCulture).ToTimeSpan()), TimeSpan.Zero);

        Assert.Equal(inside, ActiveHours.Parse("07:00-23:00").Contains(instant, Utc));
    }

    [Theory]
    [InlineData("21:59", false)]
    [InlineData("22:00", true)]
    [InlineData("23:59", true)]
    [InlineData("00:00", true)]
    [InlineData("05:59", true)]
    [InlineData("06:00", false)]
    public void A_window_may_wrap_midnight(string time, bool inside)
    {
        var instant = new DateTimeOffset(new DateTime(2026, 5, 4).Add(TimeOnly.Parse(time, CultureInfo.InvariantCulture).ToTimeSpan()), TimeSpan.Zero);

        Assert.Equal(inside, ActiveHours.Parse("22:00-06:00").Contains(instant, Utc));
    }

    [Fact]
    public void A_window_ending_at_24_00_includes_the_last_minute_of_the_day()
    {
        var window = ActiveHours.Parse("07:00-24:00");

        Assert.True(window.Contains(UtcAt(4, 23, 59), Utc));
        Assert.False(window.Contains(UtcAt(5, 0, 0), Utc));
    }

    [Fact]
    public void Contains_reads_the_wall_clock_of_the_zone()
    {
        var window = ActiveHours.Parse("07:00-23:00");
        var tenPastSixUtc = UtcAt(4, 6, 10); // 07:10 in London (BST)

        Assert.False(window.Contains(tenPastSixUtc, Utc));
        Assert.True(window.Contains(tenPastSixUtc, TestZones.London));
    }

    [Theory]
    [InlineData("")]
    [InlineData("07:00")]
    [InlineData("7am-11pm")]
    [InlineData("07:00-23:00-01:00")]
    [InlineData("25:00-23:00")]
    [InlineData("07:00-23:60")]
    [InlineData("24:00-06:00")]
    [InlineData("07:00-07:00")]
    public void Invalid_windows_are_rejected_with_a_message_naming_the_text(string text)
    {
        var error = Assert.Throws<FormatException>(() => ActiveHours.Parse(text));

        Assert.StartsWith($"Invalid active hours \"{text}\": ", error.Message);
        Assert.False(ActiveHours.TryParse(text, out _, out var message));
        Assert.Equal(error.Message, message);
    }

    [Fact]
    public void Messages_say_what_is_expected()
    {
        Assert.Equal(
            "Invalid active hours \"7am-11pm\": \"7am\" is not a time of day (00:00-23:59).",
            Assert.Throws<FormatException>(() => ActiveHours.Parse("7am-11pm")).Message);
        Assert.Equal(
            "Invalid active hours \"07:00\": expected \"HH:mm-HH:mm\" such as \"07:00-23:00\".",
            Assert.Throws<FormatException>(() => ActiveHours.Parse("07:00")).Message);
    }

    [Fact]
    public void Next_allowed_is_the_instant_itself_inside_the_window()
    {
        Assert.Equal(UtcAt(4, 12, 0), ActiveHours.Parse("07:00-23:00").NextAllowed(UtcAt(4, 12, 0), Utc));
    }

    [Fact]
    public void Next_allowed_is_the_same_day_opening_before_the_window()
    {
        Assert.Equal(UtcAt(4, 7, 0), ActiveHours.Parse("07:00-23:00").NextAllowed(UtcAt(4, 2, 0), Utc));
    }

    [Fact]
    public void Next_allowed_is_the_next_day_opening_after_the_window()
    {
        Assert.Equal(UtcAt(5, 7, 0), ActiveHours.Parse("07:00-23:00").NextAllowed(UtcAt(4, 23, 30), Utc));
    }

    [Fact]
    public void Next_allowed_for_a_wrapping_window_is_the_evening_opening()
    {
        Assert.Equal(UtcAt(4, 22, 0), ActiveHours.Parse("22:00-06:00").NextAllowed(UtcAt(4, 12, 0), Utc));
    }

    [Fact]
    public void Next_allowed_keeps_the_zone_offset_of_the_opening()
    {
        var opening = ActiveHours.Parse("07:00-23:00").NextAllowed(new DateTimeOffset(2026, 7, 1, 5, 0, 0, TimeSpan.Zero), TestZones.NewYork);

        Assert.Equal(new DateTimeOffset(2026, 7, 1, 7, 0, 0, TimeSpan.FromHours(-4)), opening);
        Assert.Equal(TimeSpan.FromHours(-4), opening.Offset);
    }

    [Fact]
    public void A_window_opening_inside_a_spring_forward_gap_opens_at_the_end_of_the_gap()
    {
        var beforeGap = new DateTimeOffset(2026, 3, 8, 1, 0, 0, TimeSpan.FromHours(-5));

        var opening = ActiveHours.Parse("02:30-05:00").NextAllowed(beforeGap, TestZones.NewYork);

        Assert.Equal(new DateTimeOffset(2026, 3, 8, 3, 0, 0, TimeSpan.FromHours(-4)), opening);
    }

    [Fact]
    public void A_window_that_the_gap_swallows_whole_opens_the_next_day()
    {
        var beforeGap = new DateTimeOffset(2026, 3, 8, 1, 0, 0, TimeSpan.FromHours(-5));

        var opening = ActiveHours.Parse("02:00-02:45").NextAllowed(beforeGap, TestZones.NewYork);

        Assert.Equal(new DateTimeOffset(2026, 3, 9, 2, 0, 0, TimeSpan.FromHours(-4)), opening);
    }

    [Fact]
    public void In_the_second_pass_of_a_repeated_hour_the_window_opens_in_that_pass()
    {
        var secondPass = new DateTimeOffset(2026, 11, 1, 1, 10, 0, TimeSpan.FromHours(-5));

        var opening = ActiveHours.Parse("01:30-05:00").NextAllowed(secondPass, TestZones.NewYork);

        Assert.Equal(new DateTimeOffset(2026, 11, 1, 1, 30, 0, TimeSpan.FromHours(-5)), opening);
    }
}
