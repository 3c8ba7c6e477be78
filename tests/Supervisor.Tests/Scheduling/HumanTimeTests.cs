using Supervisor.Core.Scheduling;
using Xunit;

namespace Supervisor.Tests.Scheduling;

public sealed class HumanTimeTests
{
    [Theory]
    [InlineData(0, "now")]
    [InlineData(0.4, "now")]
    [InlineData(-0.9, "now")]
    [InlineData(45, "in 45s")]
    [InlineData(-45, "45s ago")]
    [InlineData(180, "in 3m")]
    [InlineData(239, "in 3m")]
    [InlineData(-120, "2m ago")]
    [InlineData(3600, "in 1h")]
    [InlineData(7500, "in 2h 5m")]
    [InlineData(-7500, "2h 5m ago")]
    [InlineData(86400, "in 1 day")]
    [InlineData(86400 + 4 * 3600 + 59, "in 1 day 4h")]
    [InlineData(3 * 86400, "in 3 days")]
    [InlineData(3 * 86400 + 7 * 3600, "in 3 days")]
    [InlineData(-10 * 86400, "10 days ago")]
    public void Relative_times_read_like_a_person_would_say_them(double seconds, string expected)
    {
        Assert.Equal(expected, HumanTime.Relative(TimeSpan.FromSeconds(seconds)));
    }

    [Theory]
    [InlineData(0, "0ms")]
    [InlineData(0.35, "350ms")]
    [InlineData(3.14, "3.1s")]
    [InlineData(3, "3s")]
    [InlineData(59.99, "59.9s")]
    [InlineData(60, "1m")]
    [InlineData(125, "2m 5s")]
    [InlineData(3 * 3600 + 12 * 60 + 40, "3h 12m")]
    [InlineData(4 * 86400 + 2 * 3600 + 59, "4d 2h")]
    [InlineData(2 * 86400, "2d")]
    [InlineData(-125, "-2m 5s")]
    public void Durations_are_short_and_round_down(double seconds, string expected)
    {
        Assert.Equal(expected, HumanTime.Duration(TimeSpan.FromSeconds(seconds)));
    }

    [Fact]
    public void Describe_gives_the_wall_clock_with_the_zone_abbreviation_and_distance()
    {
        var monday = new DateTimeOffset(2026, 3, 9, 13, 0, 0, TimeSpan.Zero);
        var now = new DateTimeOffset(2026, 3, 6, 8, 0, 0, TimeSpan.FromHours(-5));

        Assert.Equal("Mon 9 Mar 09:00 EDT, in 3 days", HumanTime.Describe(monday, TestZones.NewYork, now));
    }

    [Theory]
    [InlineData("America/New_York", 2026, 1, "Thu 15 Jan 07:00 EST, in 1h")]
    [InlineData("Europe/London", 2026, 7, "Wed 15 Jul 13:00 BST, in 1h")]
    [InlineData("Europe/London", 2026, 1, "Thu 15 Jan 12:00 GMT, in 1h")]
    [InlineData("Europe/Paris", 2026, 7, "Wed 15 Jul 14:00 CEST, in 1h")]
    [InlineData("Asia/Kolkata", 2026, 1, "Thu 15 Jan 17:30 IST, in 1h")]
    [InlineData("Australia/Lord_Howe", 2026, 1, "Thu 15 Jan 23:00 UTC+11:00, in 1h")]
    [InlineData("Australia/Lord_Howe", 2026, 7, "Wed 15 Jul 22:30 UTC+10:30, in 1h")]
    [InlineData("UTC", 2026, 1, "Thu 15 Jan 12:00 UTC, in 1h")]
    public void Zone_abbreviations_come_from_the_zone_name_a_table_or_the_offset(string zoneId, int year, int month, string expected)
    {
        var instant = new DateTimeOffset(year, month, 15, 12, 0, 0, TimeSpan.Zero);

        Assert.Equal(expected, HumanTime.Describe(instant, TestZones.ById(zoneId), instant.AddHours(-1)));
    }

    [Fact]
    public void Describe_shows_the_year_when_it_is_not_this_year_and_seconds_when_they_matter()
    {
        var now = new DateTimeOffset(2026, 5, 4, 12, 0, 0, TimeSpan.Zero);

        Assert.Equal("Tue 29 Feb 2028 00:00 UTC, in 665 days", HumanTime.Describe(new DateTimeOffset(2028, 2, 29, 0, 0, 0, TimeSpan.Zero), TimeZoneInfo.Utc, now));
        Assert.Equal("Mon 4 May 12:00:20 UTC, in 20s", HumanTime.Describe(now.AddSeconds(20), TimeZoneInfo.Utc, now));
        Assert.Equal("Mon 4 May 11:58 UTC, 2m ago", HumanTime.Describe(now.AddMinutes(-2), TimeZoneInfo.Utc, now));
    }
}
