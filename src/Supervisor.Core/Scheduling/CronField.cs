namespace Supervisor.Core.Scheduling;

/// <summary>The range and spelling rules of one cron field.</summary>
internal sealed record CronField(string Name, int Min, int Max, IReadOnlyList<string>? Names, string? NamesHint, bool AllowsQuestionMark)
{
    public static readonly CronField Second = new("second", 0, 59, null, null, false);
    public static readonly CronField Minute = new("minute", 0, 59, null, null, false);
    public static readonly CronField Hour = new("hour", 0, 23, null, null, false);
    public static readonly CronField DayOfMonth = new("day-of-month", 1, 31, null, null, true);

    public static readonly CronField Month = new(
        "month", 1, 12,
        ["", "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"],
        "a month name (JAN-DEC)", false);

    // 7 is accepted as Sunday (as in Vixie cron) and folded onto 0 after parsing.
    public static readonly CronField DayOfWeek = new(
        "day-of-week", 0, 7,
        ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"],
        "a day name (SUN-SAT)", true);
}
