namespace Supervisor.Tests.Scheduling;

/// <summary>
/// The documented rules, applied the slow and obvious way: walk real time minute by minute, read
/// the wall clock in the zone, and fire when it matches. Fixed-time expressions skip the second
/// pass of a repeated hour and fire at the end of a spring-forward gap that swallowed a match;
/// interval expressions fire on every matching reading, in both passes, and never in a gap.
/// </summary>
/// <remarks>
/// Relies on what holds for the zones under test: offsets are whole minutes and change on minute
/// boundaries. To stay fast it skips whole days or hours whose date or hour cannot match, but only
/// when the offset is the same at both ends of the skip, so it never jumps over a transition.
/// </remarks>
internal static class BruteForceCron
{
    public static DateTimeOffset? Next(GeneratedCron cron, DateTimeOffset fromExclusive, TimeZoneInfo zone, TimeSpan horizon)
    {
        var from = fromExclusive.UtcDateTime;
        var end = from + horizon;
        var minute = new DateTime(from.Ticks - from.Ticks % TimeSpan.TicksPerMinute, DateTimeKind.Utc);

        while (minute <= end)
        {
            var offset = zone.GetUtcOffset(minute);
            var local = DateTime.SpecifyKind(minute + offset, DateTimeKind.Unspecified);

            var previousOffset = zone.GetUtcOffset(minute.AddMinutes(-1));
            if (!cron.FollowsRealTime && offset > previousOffset && minute > from)
            {
                // Clocks sprang forward at this minute: did the skipped wall-clock range hold a match?
                for (var skipped = DateTime.SpecifyKind(minute + previousOffset, DateTimeKind.Unspecified); skipped < local; skipped = skipped.AddMinutes(1))
                {
                    if (cron.MatchesMinute(skipped))
                    {
                        return Result(minute, zone);
                    }
                }
            }

            if (!cron.MatchesDate(local))
            {
                minute = Skip(minute, offset, local.Date.AddDays(1) - local, zone);
                continue;
            }
            if (!cron.Hours[local.Hour])
            {
                minute = Skip(minute, offset, TimeSpan.FromMinutes(60 - local.Minute), zone);
                continue;
            }
            if (cron.Minutes[local.Minute] && (cron.FollowsRealTime || !IsSecondPass(local, offset, zone)))
            {
                for (var second = 0; second < 60; second++)
                {
                    var instant = minute.AddSeconds(second);
                    if (cron.Seconds[second] && instant > from)
                    {
                        return Result(instant, zone);
                    }
                }
            }
            minute = minute.AddMinutes(1);
        }
        return null;
    }

    private static bool IsSecondPass(DateTime local, TimeSpan offset, TimeZoneInfo zone) =>
        zone.IsAmbiguousTime(local) && offset == zone.GetAmbiguousTimeOffsets(local).Min();

    private static DateTime Skip(DateTime minute, TimeSpan offset, TimeSpan wallClockDistance, TimeZoneInfo zone)
    {
        var target = minute + wallClockDistance;
        if (zone.GetUtcOffset(target) == offset)
        {
            return target;
        }
        var local = minute + offset;
        var nextHour = minute + TimeSpan.FromMinutes(60 - local.Minute);
        return nextHour < target && zone.GetUtcOffset(nextHour) == offset ? nextHour : minute.AddMinutes(1);
    }

    private static DateTimeOffset Result(DateTime utc, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTime(new DateTimeOffset(utc, TimeSpan.Zero), zone);
}
