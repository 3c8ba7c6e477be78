using System.Globalization;

namespace Supervisor.Core.Scheduling;

/// <summary>Short, human forms of times and durations for `sup ls`, `sup jobs` and `sup cron`.</summary>
/// <remarks>Every form rounds down: "in 3m" means at least 3 and less than 4 minutes.</remarks>
public static class HumanTime
{
    /// <summary>
    /// How far away a time is: "now" (under a second), "in 45s", "in 3m", "in 2h 5m",
    /// "in 1 day 4h", "in 3 days"; past times read "2m ago".
    /// </summary>
    public static string Relative(TimeSpan fromNow)
    {
        var size = fromNow == TimeSpan.MinValue ? TimeSpan.MaxValue : fromNow.Duration();
        if (size < TimeSpan.FromSeconds(1))
        {
            return "now";
        }
        var text = Magnitude(size);
        return fromNow > TimeSpan.Zero ? $"in {text}" : $"{text} ago";
    }

    /// <summary>How long something took: "350ms", "3.1s", "2m 5s", "3h 12m", "4d 2h".</summary>
    public static string Duration(TimeSpan duration)
    {
        if (duration < TimeSpan.Zero)
        {
            return "-" + Duration(duration == TimeSpan.MinValue ? TimeSpan.MaxValue : duration.Negate());
        }
        if (duration < TimeSpan.FromSeconds(1))
        {
            return $"{(long)duration.TotalMilliseconds}ms";
        }
        if (duration < TimeSpan.FromMinutes(1))
        {
            var tenths = Math.Floor(duration.TotalSeconds * 10) / 10;
            return tenths.ToString("0.#", CultureInfo.InvariantCulture) + "s";
        }
        if (duration < TimeSpan.FromHours(1))
        {
            return TwoUnits(duration.Minutes, "m", duration.Seconds, "s");
        }
        if (duration < TimeSpan.FromDays(1))
        {
            return TwoUnits(duration.Hours, "h", duration.Minutes, "m");
        }
        return TwoUnits((long)duration.TotalDays, "d", duration.Hours, "h");
    }

    /// <summary>
    /// A time as a person reads it in <paramref name="zone"/>: "Mon 9 Mar 09:00 EDT, in 3 days".
    /// The year is shown when it differs from now's, seconds when they are not zero.
    /// </summary>
    public static string Describe(DateTimeOffset instant, TimeZoneInfo zone, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var local = TimeZoneInfo.ConvertTime(instant, zone);
        var localNow = TimeZoneInfo.ConvertTime(now, zone);
        var date = local.ToString(local.Year == localNow.Year ? "ddd d MMM" : "ddd d MMM yyyy", CultureInfo.InvariantCulture);
        var time = local.ToString(local.Second == 0 ? "HH:mm" : "HH:mm:ss", CultureInfo.InvariantCulture);
        return $"{date} {time} {ZoneAbbreviations.For(zone, instant)}, {Relative(instant - now)}";
    }

    private static string Magnitude(TimeSpan size)
    {
        if (size < TimeSpan.FromMinutes(1))
        {
            return $"{size.Seconds}s";
        }
        if (size < TimeSpan.FromHours(1))
        {
            return $"{size.Minutes}m";
        }
        if (size < TimeSpan.FromDays(1))
        {
            return TwoUnits(size.Hours, "h", size.Minutes, "m");
        }
        if (size < TimeSpan.FromDays(2))
        {
            return size.Hours == 0 ? "1 day" : $"1 day {size.Hours}h";
        }
        return $"{(long)size.TotalDays} days";
    }

    private static string TwoUnits(long major, string majorUnit, int minor, string minorUnit) =>
        minor == 0 ? $"{major}{majorUnit}" : $"{major}{majorUnit} {minor}{minorUnit}";
}
