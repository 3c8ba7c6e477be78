using System.Numerics;

namespace Supervisor.Core.Scheduling;

/// <summary>
/// The parsed fields of a cron expression as bit masks (bit n set = value n allowed), and the
/// calendar search over wall-clock times. Knows nothing of time zones: it answers "which local
/// date and time is the next one whose fields match".
/// </summary>
internal sealed class CronFieldSet
{
    private readonly ulong _seconds;
    private readonly ulong _minutes;
    private readonly uint _hours;
    private readonly uint _daysOfMonth;
    private readonly ushort _months;
    private readonly bool _eitherDayFieldMatches;

    // Bits 1..31: the days of a month whose weekday is allowed, for each weekday of the 1st.
    private readonly uint[] _weekdayDaysByFirstWeekday = new uint[7];

    public CronFieldSet(ulong seconds, ulong minutes, uint hours, uint daysOfMonth, ushort months, byte daysOfWeek,
        bool dayOfMonthIsStar, bool dayOfWeekIsStar, bool followsRealTime)
    {
        _seconds = seconds;
        _minutes = minutes;
        _hours = hours;
        _daysOfMonth = daysOfMonth;
        _months = months;
        DaysOfWeek = daysOfWeek;
        DayOfMonthIsStar = dayOfMonthIsStar;
        DayOfWeekIsStar = dayOfWeekIsStar;
        _eitherDayFieldMatches = !dayOfMonthIsStar && !dayOfWeekIsStar;
        FollowsRealTime = followsRealTime;

        for (var firstWeekday = 0; firstWeekday < 7; firstWeekday++)
        {
            uint days = 0;
            for (var day = 1; day <= 31; day++)
            {
                if ((daysOfWeek & (1 << ((firstWeekday + day - 1) % 7))) != 0)
                {
                    days |= 1u << day;
                }
            }
            _weekdayDaysByFirstWeekday[firstWeekday] = days;
        }
    }

    // The raw masks, for exporters that spell the schedule in another engine's syntax (Export/CronToOnCalendar).
    public ulong Seconds => _seconds;
    public ulong Minutes => _minutes;
    public uint Hours => _hours;
    public uint DaysOfMonth => _daysOfMonth;
    public ushort Months => _months;
    public byte DaysOfWeek { get; }
    public bool DayOfMonthIsStar { get; }
    public bool DayOfWeekIsStar { get; }

    /// <summary>True when the hour field is a wildcard or a step: the schedule is an interval of real time.</summary>
    public bool FollowsRealTime { get; }

    /// <summary>
    /// The first wall-clock time at or after <paramref name="start"/> (whole seconds; a fraction
    /// rounds up) whose fields all match, or null when none exists up to the end of
    /// <paramref name="lastYear"/>. Jumps field by field, so a search costs a handful of steps
    /// per month visited, never one per minute.
    /// </summary>
    public DateTime? FindNext(DateTime start, int lastYear)
    {
        var ticks = start.Ticks;
        var remainder = ticks % TimeSpan.TicksPerSecond;
        if (remainder != 0)
        {
            if (ticks > DateTime.MaxValue.Ticks - TimeSpan.TicksPerSecond)
            {
                return null;
            }
            start = new DateTime(ticks - remainder + TimeSpan.TicksPerSecond);
        }

        int year = start.Year, month = start.Month, day = start.Day;
        int hour = start.Hour, minute = start.Minute, second = start.Second;

        while (year <= lastYear)
        {
            var nextMonth = NextBit(_months, month);
            if (nextMonth < 0)
            {
                year++;
                (month, day, hour, minute, second) = (1, 1, 0, 0, 0);
                continue;
            }
            if (nextMonth != month)
            {
                (month, day, hour, minute, second) = (nextMonth, 1, 0, 0, 0);
            }

            var nextDay = NextBit(DaysOf(year, month), day);
            if (nextDay < 0)
            {
                month++;
                (day, hour, minute, second) = (1, 0, 0, 0);
                continue;
            }
            if (nextDay != day)
            {
                (day, hour, minute, second) = (nextDay, 0, 0, 0);
            }

            var nextHour = NextBit(_hours, hour);
            if (nextHour < 0)
            {
                day++;
                (hour, minute, second) = (0, 0, 0);
                continue;
            }
            if (nextHour != hour)
            {
                (hour, minute, second) = (nextHour, 0, 0);
            }

            var nextMinute = NextBit(_minutes, minute);
            if (nextMinute < 0)
            {
                hour++;
                (minute, second) = (0, 0);
                continue;
            }
            if (nextMinute != minute)
            {
                (minute, second) = (nextMinute, 0);
            }

            var nextSecond = NextBit(_seconds, second);
            if (nextSecond < 0)
            {
                minute++;
                second = 0;
                continue;
            }

            return new DateTime(year, month, day, hour, minute, nextSecond);
        }

        return null;
    }

    private uint DaysOf(int year, int month)
    {
        var length = DateTime.DaysInMonth(year, month);
        var inMonth = (uint)((1UL << (length + 1)) - 2);
        var weekdays = _weekdayDaysByFirstWeekday[(int)new DateTime(year, month, 1).DayOfWeek];
        var days = _eitherDayFieldMatches ? _daysOfMonth | weekdays : _daysOfMonth & weekdays;
        return days & inMonth;
    }

    private static int NextBit(ulong mask, int from)
    {
        if (from >= 64)
        {
            return -1;
        }
        var rest = mask >> from;
        return rest == 0 ? -1 : from + BitOperations.TrailingZeroCount(rest);
    }
}
