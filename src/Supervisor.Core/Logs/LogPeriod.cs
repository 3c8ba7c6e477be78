using System.Globalization;
using Supervisor.Core.Config;

namespace Supervisor.Core.Logs;

/// <summary>
/// The local day or hour a log line belongs to under `log_rotate`, and the label its file is
/// named by. Pure: the caller passes the instant and the zone (the daemon's, from its TimeProvider).
/// </summary>
public static class LogPeriod
{
    /// <summary>The local start of the period holding <paramref name="instant"/>: its midnight, or the top of its hour.</summary>
    public static DateTime Start(DateTimeOffset instant, TimeZoneInfo zone, LogRotation rotation)
    {
        var local = TimeZoneInfo.ConvertTime(instant, zone).DateTime;
        return rotation switch
        {
            LogRotation.Hourly => new DateTime(local.Year, local.Month, local.Day, local.Hour, 0, 0, DateTimeKind.Unspecified),
            _ => local.Date,
        };
    }

    /// <summary>"2026-12-03" for a day, "2026-12-03-14" for an hour: sorted as text, they sort by time.</summary>
    public static string Label(DateTime periodStart, LogRotation rotation) =>
        periodStart.ToString(rotation == LogRotation.Hourly ? "yyyy-MM-dd-HH" : "yyyy-MM-dd", CultureInfo.InvariantCulture);
}
