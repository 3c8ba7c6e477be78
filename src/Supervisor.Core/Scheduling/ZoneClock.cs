namespace Supervisor.Core.Scheduling;

/// <summary>
/// Maps wall-clock times to instants for a <see cref="TimeZoneInfo"/>, including the gaps and
/// overlaps of offset changes, using only <see cref="TimeZoneInfo.GetUtcOffset(DateTime)"/> on UTC
/// instants (so gap ends and overlap bounds come out exact, to the second).
/// </summary>
/// <remarks>
/// Assumes a zone changes its offset at most once in any 32 hours, which holds for every real
/// DST rule. Real offsets lie within ±16 h, so the instant of any wall-clock time T lies
/// within 16 h of T read as UTC; comparing the offsets at both ends of that window tells at once
/// whether T is anywhere near a transition.
/// </remarks>
internal static class ZoneClock
{
    private static readonly long Window = TimeSpan.FromHours(16).Ticks;

    public static long OffsetAt(TimeZoneInfo zone, long utcTicks)
    {
        var clamped = Math.Clamp(utcTicks, DateTime.MinValue.Ticks, DateTime.MaxValue.Ticks);
        return zone.GetUtcOffset(new DateTime(clamped, DateTimeKind.Utc)).Ticks;
    }

    public static LocalTimeMapping Resolve(TimeZoneInfo zone, long localTicks)
    {
        var low = localTicks - Window;
        var high = localTicks + Window;
        var before = OffsetAt(zone, low);
        var after = OffsetAt(zone, high);
        if (before == after)
        {
            return LocalTimeMapping.Normal(before);
        }

        var transition = FindTransition(zone, low, high, before);
        var mapping = new LocalTimeMapping(
            after > before ? LocalTimeKind.Gap : LocalTimeKind.Overlap, before, after, transition);
        if (localTicks < mapping.RangeStartLocalTicks)
        {
            return LocalTimeMapping.Normal(before);
        }
        if (localTicks >= mapping.RangeEndLocalTicks)
        {
            return LocalTimeMapping.Normal(after);
        }
        return mapping;
    }

    /// <summary>
    /// The earliest instant a wall-clock time is reached: its only instant, the first of two in an
    /// overlap, or the end of the gap (the first valid instant after it) when it never happens.
    /// </summary>
    public static long EarliestInstant(TimeZoneInfo zone, long localTicks)
    {
        var mapping = Resolve(zone, localTicks);
        return mapping.Kind == LocalTimeKind.Gap ? mapping.TransitionUtcTicks : localTicks - mapping.Offset;
    }

    /// <summary>An instant shown with the zone's offset there.</summary>
    public static DateTimeOffset ToZoneTime(long utcTicks, long offsetTicks, TimeZoneInfo zone)
    {
        // DateTimeOffset only carries whole minutes; historical offsets such as LMT do not.
        if (offsetTicks % TimeSpan.TicksPerMinute != 0)
        {
            return TimeZoneInfo.ConvertTime(new DateTimeOffset(utcTicks, TimeSpan.Zero), zone);
        }
        return new DateTimeOffset(utcTicks + offsetTicks, new TimeSpan(offsetTicks));
    }

    // Binary search, in whole seconds (tz data never changes offsets mid-second), for the first
    // instant in (low, high] whose offset differs from the one at low.
    private static long FindTransition(TimeZoneInfo zone, long low, long high, long offsetAtLow)
    {
        var lowSeconds = FloorDiv(low, TimeSpan.TicksPerSecond);
        var highSeconds = -FloorDiv(-high, TimeSpan.TicksPerSecond);
        while (highSeconds - lowSeconds > 1)
        {
            var middle = lowSeconds + (highSeconds - lowSeconds) / 2;
            if (OffsetAt(zone, middle * TimeSpan.TicksPerSecond) == offsetAtLow)
            {
                lowSeconds = middle;
            }
            else
            {
                highSeconds = middle;
            }
        }
        return highSeconds * TimeSpan.TicksPerSecond;
    }

    private static long FloorDiv(long value, long divisor) =>
        value >= 0 ? value / divisor : -((-value + divisor - 1) / divisor);
}
