using System.Globalization;
using System.Numerics;
using System.Text;
using Supervisor.Core.Scheduling;

namespace Supervisor.Core.Export;

/// <summary>
/// A sup cron expression as systemd <c>OnCalendar=</c> values. Fields are spelled as explicit
/// lists from the parsed masks, so steps and ranges need no translation. When both day fields
/// are restricted, sup fires on a day matching either (Vixie's rule) while systemd requires
/// both: that becomes two values, one per day field (a timer fires at the union of its
/// OnCalendar= lines).
/// </summary>
public static class CronToOnCalendar
{
    private static readonly string[] WeekdayNames = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

    /// <param name="hours">An hour mask to AND into the expression's (active_hours folded in); null = the expression's own.</param>
    public static IReadOnlyList<string> Convert(CronExpression cron, string? timeZone, uint? hours = null)
    {
        var f = cron.Fields;
        var time = string.Join(':',
            List(hours is { } h ? f.Hours & h : f.Hours, 0, 23),
            List(f.Minutes, 0, 59),
            List(f.Seconds, 0, 59));
        var months = List(f.Months, 1, 12);
        var days = List(f.DaysOfMonth, 1, 31);
        var weekdays = Weekdays(f.DaysOfWeek);
        var zone = timeZone is null ? "" : " " + timeZone;

        string Line(string? weekday, string day) => $"{(weekday is null ? "" : weekday + " ")}*-{months}-{day} {time}{zone}";

        if (!f.DayOfMonthIsStar && !f.DayOfWeekIsStar)
        {
            return [Line(weekdays, "*"), Line(null, days)];
        }
        return [Line(weekdays, days)];
    }

    /// <summary>The hours an "HH:mm-HH:mm" window covers, when it starts and ends on whole hours; null otherwise.</summary>
    public static uint? HoursOf(ActiveHours window)
    {
        if (window.Start.Minute != 0 || window.End.Minute != 0 || window.Start.Second != 0 || window.End.Second != 0) return null;
        uint mask = 0;
        var hour = window.Start.Hour;
        do
        {
            mask |= 1u << hour;
            hour = (hour + 1) % 24;
        } while (hour != window.End.Hour);
        return mask;
    }

    private static string? Weekdays(byte mask)
    {
        if ((mask & 0x7F) == 0x7F) return null;
        // Monday first, as systemd prints them.
        var order = new[] { 1, 2, 3, 4, 5, 6, 0 };
        return string.Join(',', order.Where(d => (mask & (1 << d)) != 0).Select(d => WeekdayNames[d]));
    }

    private static string List(ulong mask, int min, int max)
    {
        var full = true;
        var values = new StringBuilder();
        for (var v = min; v <= max; v++)
        {
            if ((mask & (1UL << v)) == 0)
            {
                full = false;
                continue;
            }
            if (values.Length > 0) values.Append(',');
            values.Append(v.ToString("00", CultureInfo.InvariantCulture));
        }
        return full ? "*" : values.ToString();
    }

    internal static int Count(ulong mask) => BitOperations.PopCount(mask);
}
