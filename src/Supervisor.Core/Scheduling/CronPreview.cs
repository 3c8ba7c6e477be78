using System.Globalization;

namespace Supervisor.Core.Scheduling;

/// <summary>The lines `sup cron` prints.</summary>
public static class CronPreview
{
    /// <summary>
    /// One line per upcoming fire time after <paramref name="from"/>, at most <paramref name="count"/>:
    /// <c>2026-03-09T09:00:00-04:00  Mon 9 Mar 09:00 EDT, in 3 days</c> (ISO 8601 with the zone's
    /// offset, two spaces, the human form relative to <paramref name="now"/>). Empty when the
    /// expression never fires.
    /// </summary>
    public static IReadOnlyList<string> Lines(CronExpression expr, TimeZoneInfo zone, DateTimeOffset from, int count, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(expr);
        ArgumentNullException.ThrowIfNull(zone);
        return expr.GetOccurrences(from, zone, count)
            .Select(at => at.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture) + "  " + HumanTime.Describe(at, zone, now))
            .ToList();
    }
}
