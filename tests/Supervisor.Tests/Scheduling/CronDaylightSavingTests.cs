using Supervisor.Core.Scheduling;
using Xunit;

namespace Supervisor.Tests.Scheduling;

/// <summary>
/// 2026 clock changes used here: New York 8 Mar 02:00 EST -> 03:00 EDT and 1 Nov 02:00 EDT -> 01:00 EST;
/// London 29 Mar 01:00 GMT -> 02:00 BST; Lord Howe 4 Oct 02:00 -> 02:30 and 5 Apr 02:00 -> 01:30.
/// </summary>
public sealed class CronDaylightSavingTests
{
    private static readonly TimeSpan Est = TimeSpan.FromHours(-5);
    private static readonly TimeSpan Edt = TimeSpan.FromHours(-4);

    private static List<DateTimeOffset> Fires(string expression, TimeZoneInfo zone, DateTimeOffset from, int count) =>
        CronExpression.Parse(expression).GetOccurrences(from, zone, count).ToList();

    [Fact]
    public void A_time_skipped_by_spring_forward_fires_once_at_the_end_of_the_gap()
    {
        var fired = Fires("30 2 * * *", TestZones.NewYork, new DateTimeOffset(2026, 3, 7, 12, 0, 0, Est), 3);

        Assert.Equal(
            [
                new DateTimeOffset(2026, 3, 8, 3, 0, 0, Edt),
                new DateTimeOffset(2026, 3, 9, 2, 30, 0, Edt),
                new DateTimeOffset(2026, 3, 10, 2, 30, 0, Edt),
            ],
            fired);
        Assert.Equal(Edt, fired[0].Offset);
    }

    [Fact]
    public void Several_skipped_times_still_fire_only_once_at_the_end_of_the_gap()
    {
        var fired = Fires("0,15,30,45 2 * * *", TestZones.NewYork, new DateTimeOffset(2026, 3, 8, 0, 0, 0, Est), 2);

        Assert.Equal([new DateTimeOffset(2026, 3, 8, 3, 0, 0, Edt), new DateTimeOffset(2026, 3, 9, 2, 0, 0, Edt)], fired);
    }

    [Fact]
    public void A_skipped_time_merges_with_a_real_match_at_the_end_of_the_gap()
    {
        var fired = Fires("0 2,3 * * *", TestZones.NewYork, new DateTimeOffset(2026, 3, 8, 0, 0, 0, Est), 3);

        Assert.Equal(
            [
                new DateTimeOffset(2026, 3, 8, 3, 0, 0, Edt),
                new DateTimeOffset(2026, 3, 9, 2, 0, 0, Edt),
                new DateTimeOffset(2026, 3, 9, 3, 0, 0, Edt),
            ],
            fired);
    }

    [Fact]
    public void A_time_repeated_by_fall_back_fires_once_at_its_first_occurrence()
    {
        var fired = Fires("30 1 * * *", TestZones.NewYork, new DateTimeOffset(2026, 10, 31, 12, 0, 0, Edt), 3);

        Assert.Equal(
            [
                new DateTimeOffset(2026, 11, 1, 1, 30, 0, Edt),
                new DateTimeOffset(2026, 11, 2, 1, 30, 0, Est),
                new DateTimeOffset(2026, 11, 3, 1, 30, 0, Est),
            ],
            fired);
    }

    [Fact]
    public void A_fixed_time_already_fired_in_the_first_pass_does_not_fire_again_from_inside_the_second()
    {
        var secondPass = new DateTimeOffset(2026, 11, 1, 1, 10, 0, Est);

        var next = CronExpression.Parse("45 1 * * *").GetNextOccurrence(secondPass, TestZones.NewYork);

        Assert.Equal(new DateTimeOffset(2026, 11, 2, 1, 45, 0, Est), next);
    }

    [Fact]
    public void Every_30_minutes_keeps_30_minutes_of_real_time_through_spring_forward()
    {
        var fired = Fires("*/30 * * * *", TestZones.NewYork, new DateTimeOffset(2026, 3, 8, 0, 0, 0, Est), 8);

        Assert.All(fired.Zip(fired.Skip(1)), pair => Assert.Equal(TimeSpan.FromMinutes(30), pair.Second - pair.First));
        Assert.Equal(
            ["00:30", "01:00", "01:30", "03:00", "03:30", "04:00", "04:30", "05:00"],
            fired.Select(f => f.ToString("HH:mm")));
    }

    [Fact]
    public void Every_30_minutes_fires_in_both_passes_of_the_repeated_hour()
    {
        var fired = Fires("*/30 * * * *", TestZones.NewYork, new DateTimeOffset(2026, 11, 1, 0, 0, 0, Edt), 8);

        Assert.All(fired.Zip(fired.Skip(1)), pair => Assert.Equal(TimeSpan.FromMinutes(30), pair.Second - pair.First));
        Assert.Equal(
            [
                new DateTimeOffset(2026, 11, 1, 0, 30, 0, Edt),
                new DateTimeOffset(2026, 11, 1, 1, 0, 0, Edt),
                new DateTimeOffset(2026, 11, 1, 1, 30, 0, Edt),
                new DateTimeOffset(2026, 11, 1, 1, 0, 0, Est),
                new DateTimeOffset(2026, 11, 1, 1, 30, 0, Est),
                new DateTimeOffset(2026, 11, 1, 2, 0, 0, Est),
                new DateTimeOffset(2026, 11, 1, 2, 30, 0, Est),
                new DateTimeOffset(2026, 11, 1, 3, 0, 0, Est),
            ],
            fired);
    }

    [Fact]
    public void Hourly_fires_every_real_hour_and_invents_nothing_in_the_gap()
    {
        var spring = Fires("0 * * * *", TestZones.London, new DateTimeOffset(2026, 3, 28, 23, 30, 0, TimeSpan.Zero), 3);
        var autumn = Fires("@hourly", TestZones.London, new DateTimeOffset(2026, 10, 24, 23, 30, 0, TimeSpan.FromHours(1)), 4);

        Assert.Equal(["00:00+00:00", "02:00+01:00", "03:00+01:00"], spring.Select(f => f.ToString("HH:mmzzz")));
        Assert.Equal(["00:00+01:00", "01:00+01:00", "01:00+00:00", "02:00+00:00"], autumn.Select(f => f.ToString("HH:mmzzz")));
        Assert.All(autumn.Zip(autumn.Skip(1)), pair => Assert.Equal(TimeSpan.FromHours(1), pair.Second - pair.First));
    }

    [Fact]
    public void A_step_in_the_hour_field_skips_a_match_in_the_gap()
    {
        var fired = Fires("0 */2 * * *", TestZones.NewYork, new DateTimeOffset(2026, 3, 7, 23, 0, 0, Est), 3);

        Assert.Equal(
            [
                new DateTimeOffset(2026, 3, 8, 0, 0, 0, Est),
                new DateTimeOffset(2026, 3, 8, 4, 0, 0, Edt),
                new DateTimeOffset(2026, 3, 8, 6, 0, 0, Edt),
            ],
            fired);
    }

    [Fact]
    public void Lord_Howe_half_hour_gap_moves_a_skipped_time_to_its_end()
    {
        var fired = Fires("15 2 * * *", TestZones.LordHowe, new DateTimeOffset(2026, 10, 3, 12, 0, 0, new TimeSpan(10, 30, 0)), 2);

        Assert.Equal(
            [
                new DateTimeOffset(2026, 10, 4, 2, 30, 0, TimeSpan.FromHours(11)),
                new DateTimeOffset(2026, 10, 5, 2, 15, 0, TimeSpan.FromHours(11)),
            ],
            fired);
    }

    [Fact]
    public void Lord_Howe_half_hour_overlap_fires_a_fixed_time_once_and_an_interval_twice()
    {
        var from = new DateTimeOffset(2026, 4, 5, 1, 0, 0, TimeSpan.FromHours(11));
        var standard = new TimeSpan(10, 30, 0);

        var fixedTime = Fires("45 1 * * *", TestZones.LordHowe, from, 2);
        var interval = Fires("*/15 * * * *", TestZones.LordHowe, from, 6);

        Assert.Equal([new DateTimeOffset(2026, 4, 5, 1, 45, 0, TimeSpan.FromHours(11)), new DateTimeOffset(2026, 4, 6, 1, 45, 0, standard)], fixedTime);
        Assert.Equal(["01:15", "01:30", "01:45", "01:30", "01:45", "02:00"], interval.Select(f => f.ToString("HH:mm")));
        Assert.All(interval.Zip(interval.Skip(1)), pair => Assert.Equal(TimeSpan.FromMinutes(15), pair.Second - pair.First));
    }

    [Fact]
    public void A_zone_without_daylight_saving_is_a_fixed_offset()
    {
        var fired = Fires("0 9 * * *", TestZones.Kolkata, new DateTimeOffset(2026, 3, 8, 0, 0, 0, TimeSpan.Zero), 2);

        Assert.Equal([new DateTimeOffset(2026, 3, 8, 3, 30, 0, TimeSpan.Zero), new DateTimeOffset(2026, 3, 9, 3, 30, 0, TimeSpan.Zero)], fired);
        Assert.All(fired, f => Assert.Equal(new TimeSpan(5, 30, 0), f.Offset));
    }
}
