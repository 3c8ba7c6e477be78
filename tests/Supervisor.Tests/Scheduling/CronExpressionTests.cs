using Supervisor.Core.Scheduling;
using Xunit;

namespace Supervisor.Tests.Scheduling;

public sealed class CronExpressionTests
{
    private static readonly TimeZoneInfo Utc = TimeZoneInfo.Utc;

    private static DateTimeOffset UtcAt(int year, int month, int day, int hour, int minute, int second = 0) =>
        new(year, month, day, hour, minute, second, TimeSpan.Zero);

    [Fact]
    public void Next_occurrence_is_strictly_after_the_given_instant()
    {
        var cron = CronExpression.Parse("0 9 * * *");

        Assert.Equal(UtcAt(2026, 5, 4, 9, 0), cron.GetNextOccurrence(UtcAt(2026, 5, 4, 8, 59, 59), Utc));
        Assert.Equal(UtcAt(2026, 5, 5, 9, 0), cron.GetNextOccurrence(UtcAt(2026, 5, 4, 9, 0), Utc));
        Assert.Equal(UtcAt(2026, 5, 5, 9, 0), cron.GetNextOccurrence(UtcAt(2026, 5, 4, 9, 0).AddTicks(1), Utc));
    }

    [Fact]
    public void Next_occurrence_carries_the_zone_offset_of_that_instant()
    {
        var cron = CronExpression.Parse("0 9 * * *");

        var winter = cron.GetNextOccurrence(UtcAt(2026, 1, 10, 0, 0), TestZones.NewYork);
        var summer = cron.GetNextOccurrence(UtcAt(2026, 7, 10, 0, 0), TestZones.NewYork);
        var india = cron.GetNextOccurrence(UtcAt(2026, 7, 10, 0, 0), TestZones.Kolkata);

        Assert.Equal(new DateTimeOffset(2026, 1, 10, 9, 0, 0, TimeSpan.FromHours(-5)), winter);
        Assert.Equal(TimeSpan.FromHours(-5), winter!.Value.Offset);
        Assert.Equal(new DateTimeOffset(2026, 7, 10, 9, 0, 0, TimeSpan.FromHours(-4)), summer);
        Assert.Equal(TimeSpan.FromHours(-4), summer!.Value.Offset);
        Assert.Equal(new DateTimeOffset(2026, 7, 10, 9, 0, 0, new TimeSpan(5, 30, 0)), india);
        Assert.Equal(new TimeSpan(5, 30, 0), india!.Value.Offset);
    }

    [Fact]
    public void When_both_day_fields_are_restricted_a_day_matching_either_fires()
    {
        // May 2026: the 1st is a Friday; Mondays are the 4th, 11th, 18th, 25th.
        var fired = CronExpression.Parse("0 9 1 * MON").GetOccurrences(UtcAt(2026, 4, 30, 0, 0), Utc, 6).Select(f => f.Day);

        Assert.Equal([1, 4, 11, 18, 25, 1], fired);
    }

    [Fact]
    public void When_a_day_field_starts_with_a_star_both_day_fields_must_match()
    {
        // Odd dates that are Mondays: May 11 and 25 2026, then Jun 1, 15, 29.
        var fired = CronExpression.Parse("0 9 */2 * MON").GetOccurrences(UtcAt(2026, 5, 1, 0, 0), Utc, 5);

        Assert.Equal([UtcAt(2026, 5, 11, 9, 0), UtcAt(2026, 5, 25, 9, 0), UtcAt(2026, 6, 1, 9, 0), UtcAt(2026, 6, 15, 9, 0), UtcAt(2026, 6, 29, 9, 0)], fired);
    }

    [Fact]
    public void Day_of_week_alone_restricts_the_days()
    {
        var fired = CronExpression.Parse("30 8 * * MON-FRI").GetOccurrences(UtcAt(2026, 5, 1, 12, 0), Utc, 3);

        Assert.Equal([UtcAt(2026, 5, 4, 8, 30), UtcAt(2026, 5, 5, 8, 30), UtcAt(2026, 5, 6, 8, 30)], fired);
    }

    [Fact]
    public void An_expression_that_can_never_fire_returns_null()
    {
        Assert.Null(CronExpression.Parse("0 0 30 2 *").GetNextOccurrence(UtcAt(2026, 1, 1, 0, 0), Utc));
        Assert.Null(CronExpression.Parse("0 0 31 4,6,9,11 *").GetNextOccurrence(UtcAt(2026, 1, 1, 0, 0), TestZones.NewYork));
        Assert.Empty(CronExpression.Parse("0 0 30 2 *").GetOccurrences(UtcAt(2026, 1, 1, 0, 0), Utc, 5));
    }

    [Fact]
    public void The_29th_of_february_is_found_in_the_next_leap_year()
    {
        var fired = CronExpression.Parse("0 0 29 2 *").GetOccurrences(UtcAt(2026, 1, 1, 0, 0), Utc, 3);

        Assert.Equal([UtcAt(2028, 2, 29, 0, 0), UtcAt(2032, 2, 29, 0, 0), UtcAt(2036, 2, 29, 0, 0)], fired);
    }

    [Fact]
    public void The_29th_of_february_skips_a_century_that_is_not_a_leap_year()
    {
        Assert.Equal(UtcAt(2104, 2, 29, 0, 0), CronExpression.Parse("0 0 29 2 *").GetNextOccurrence(UtcAt(2096, 3, 1, 0, 0), Utc));
    }

    [Fact]
    public void The_31st_skips_shorter_months()
    {
        var fired = CronExpression.Parse("0 12 31 * *").GetOccurrences(UtcAt(2026, 1, 1, 0, 0), Utc, 4).Select(f => f.Month);

        Assert.Equal([1, 3, 5, 7], fired);
    }

    [Fact]
    public void Six_field_expressions_fire_on_the_seconds_they_name()
    {
        var fired = CronExpression.Parse("*/20 * * * * *").GetOccurrences(UtcAt(2026, 5, 4, 9, 0, 5), Utc, 4);

        Assert.Equal([UtcAt(2026, 5, 4, 9, 0, 20), UtcAt(2026, 5, 4, 9, 0, 40), UtcAt(2026, 5, 4, 9, 1, 0), UtcAt(2026, 5, 4, 9, 1, 20)], fired);
    }

    [Fact]
    public void A_start_with_a_fraction_of_a_second_fires_at_the_next_whole_match()
    {
        var from = UtcAt(2026, 5, 4, 9, 0, 0).AddMilliseconds(400);

        Assert.Equal(UtcAt(2026, 5, 4, 9, 0, 1), CronExpression.Parse("* * * * * *").GetNextOccurrence(from, Utc));
        Assert.Equal(UtcAt(2026, 5, 4, 9, 1, 0), CronExpression.Parse("* * * * *").GetNextOccurrence(from, Utc));
    }

    [Fact]
    public void Occurrences_are_listed_in_order_up_to_the_count()
    {
        var fired = CronExpression.Parse("0 */6 * * *").GetOccurrences(UtcAt(2026, 5, 4, 0, 0), Utc, 5).ToList();

        Assert.Equal([6, 12, 18, 0, 6], fired.Select(f => f.Hour));
        Assert.Empty(CronExpression.Parse("0 */6 * * *").GetOccurrences(UtcAt(2026, 5, 4, 0, 0), Utc, 0));
    }

    [Fact]
    public void A_search_near_the_end_of_the_calendar_returns_null_instead_of_failing()
    {
        Assert.Null(CronExpression.Parse("0 0 1 1 *").GetNextOccurrence(DateTimeOffset.MaxValue, Utc));
        Assert.Equal(UtcAt(1, 1, 1, 0, 1), CronExpression.Parse("* * * * *").GetNextOccurrence(DateTimeOffset.MinValue, Utc));
    }
}
