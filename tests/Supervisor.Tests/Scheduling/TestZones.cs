namespace Supervisor.Tests.Scheduling;

internal static class TestZones
{
    public static readonly TimeZoneInfo Utc = TimeZoneInfo.Utc;
    public static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
    public static readonly TimeZoneInfo London = TimeZoneInfo.FindSystemTimeZoneById("Europe/London");
    public static readonly TimeZoneInfo LordHowe = TimeZoneInfo.FindSystemTimeZoneById("Australia/Lord_Howe");
    public static readonly TimeZoneInfo Kolkata = TimeZoneInfo.FindSystemTimeZoneById("Asia/Kolkata");

    public static TimeZoneInfo ById(string id) => id == "UTC" ? Utc : TimeZoneInfo.FindSystemTimeZoneById(id);

    /// <summary>A wall-clock time in a zone, for times that exist exactly once.</summary>
    public static DateTimeOffset At(TimeZoneInfo zone, int year, int month, int day, int hour, int minute, int second = 0)
    {
        var local = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Unspecified);
        if (zone.IsInvalidTime(local) || zone.IsAmbiguousTime(local))
        {
            throw new ArgumentException($"{local:s} is not a unique time in {zone.Id}; use an explicit offset.");
        }
        return new DateTimeOffset(local, zone.GetUtcOffset(local));
    }

    /// <summary>
    /// The instants in [from, to) where the zone's offset changes, found by hourly probing and a
    /// binary search to the second (test-side, independent of the code under test).
    /// </summary>
    public static IReadOnlyList<DateTimeOffset> Transitions(TimeZoneInfo zone, DateTimeOffset from, DateTimeOffset to)
    {
        var result = new List<DateTimeOffset>();
        for (var probe = from; probe < to; probe = probe.AddHours(1))
        {
            var next = probe.AddHours(1);
            if (zone.GetUtcOffset(probe) == zone.GetUtcOffset(next))
            {
                continue;
            }
            var (low, high) = (probe, next);
            while (high - low > TimeSpan.FromSeconds(1))
            {
                var middle = low + (high - low) / 2;
                middle = middle.AddTicks(-(middle.UtcTicks % TimeSpan.TicksPerSecond));
                if (zone.GetUtcOffset(middle) == zone.GetUtcOffset(low))
                {
                    low = middle;
                }
                else
                {
                    high = middle;
                }
            }
            result.Add(high.ToUniversalTime());
        }
        return result;
    }
}
