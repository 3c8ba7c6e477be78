using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Supervisor.Core.Scheduling;

/// <summary>
/// A daily window of wall-clock time in which a job may start, such as <c>07:00-23:00</c>.
/// <see cref="Start"/> is inclusive and <see cref="End"/> exclusive. A window whose end is not after
/// its start wraps midnight (<c>22:00-06:00</c>); <c>24:00</c> is accepted as an end and stored as
/// 00:00 (<c>07:00-24:00</c> = from 07:00 to midnight).
/// </summary>
public sealed record ActiveHours(TimeOnly Start, TimeOnly End)
{
    private const string Expected = "expected \"HH:mm-HH:mm\" such as \"07:00-23:00\"";

    /// <summary>Parses <c>HH:mm-HH:mm</c>.</summary>
    /// <exception cref="FormatException">The text is not a window; the message says what is expected.</exception>
    public static ActiveHours Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TryParse(text, out var result, out var error) ? result : throw new FormatException(error);
    }

    public static bool TryParse(string? text, [NotNullWhen(true)] out ActiveHours? result) =>
        TryParse(text, out result, out _);

    /// <summary>Parses <c>HH:mm-HH:mm</c>; on failure <paramref name="error"/> is the message <see cref="Parse"/> would throw.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out ActiveHours? result, [NotNullWhen(false)] out string? error)
    {
        result = null;
        var parts = (text ?? "").Split('-', StringSplitOptions.TrimEntries);
        if (parts.Length != 2)
        {
            error = $"Invalid active hours \"{text}\": {Expected}.";
            return false;
        }
        if (!TryParseTime(parts[0], allowMidnightEnd: false, out var start))
        {
            error = $"Invalid active hours \"{text}\": \"{parts[0]}\" is not a time of day (00:00-23:59).";
            return false;
        }
        if (!TryParseTime(parts[1], allowMidnightEnd: true, out var end))
        {
            error = $"Invalid active hours \"{text}\": \"{parts[1]}\" is not a time of day (00:00-23:59, or 24:00 as the end).";
            return false;
        }
        if (start == end)
        {
            error = $"Invalid active hours \"{text}\": the window starts and ends at the same time; leave active_hours out to allow any time.";
            return false;
        }
        error = null;
        result = new ActiveHours(start, end);
        return true;
    }

    /// <summary>True when the wall-clock time of <paramref name="instant"/> in <paramref name="zone"/> is inside the window.</summary>
    public bool Contains(DateTimeOffset instant, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        return Contains(TimeOnly.FromTimeSpan(TimeZoneInfo.ConvertTime(instant, zone).TimeOfDay));
    }

    /// <summary>
    /// <paramref name="instant"/> itself when it is inside the window, otherwise the next instant the
    /// window opens. DST-safe: when the start time is skipped by a spring-forward gap, the window opens
    /// at the end of the gap (if that is still inside the window, else the next day); when it happens
    /// twice, the first occurrence after <paramref name="instant"/> counts.
    /// </summary>
    public DateTimeOffset NextAllowed(DateTimeOffset instant, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        if (Contains(instant, zone))
        {
            return instant;
        }

        var localDate = TimeZoneInfo.ConvertTime(instant, zone).Date;
        // Three days always reach an opening: at worst today's start is past and tomorrow's falls in a gap.
        for (var day = 0; day <= 3; day++)
        {
            var local = localDate.AddDays(day).Add(Start.ToTimeSpan()).Ticks;
            var mapping = ZoneClock.Resolve(zone, local);
            foreach (var (utc, offset) in InstantsOf(local, mapping))
            {
                var candidate = ZoneClock.ToZoneTime(utc, offset, zone);
                if (candidate > instant && Contains(candidate, zone))
                {
                    return candidate;
                }
            }
        }
        // Unreachable for real zones; fall back to the plain answer rather than failing a schedule.
        return instant;
    }

    /// <summary>The window as written in configuration, e.g. <c>07:00-23:00</c>.</summary>
    public override string ToString() =>
        $"{Start.ToString("HH:mm", CultureInfo.InvariantCulture)}-{(End == TimeOnly.MinValue ? "24:00" : End.ToString("HH:mm", CultureInfo.InvariantCulture))}";

    private bool Contains(TimeOnly time) =>
        Start < End ? time >= Start && time < End : time >= Start || time < End;

    private static IEnumerable<(long Utc, long Offset)> InstantsOf(long local, LocalTimeMapping mapping)
    {
        switch (mapping.Kind)
        {
            case LocalTimeKind.Gap:
                yield return (mapping.TransitionUtcTicks, mapping.OffsetAfter);
                break;
            case LocalTimeKind.Overlap:
                yield return (local - mapping.OffsetBefore, mapping.OffsetBefore);
                yield return (local - mapping.OffsetAfter, mapping.OffsetAfter);
                break;
            default:
                yield return (local - mapping.Offset, mapping.Offset);
                break;
        }
    }

    private static bool TryParseTime(string text, bool allowMidnightEnd, out TimeOnly time)
    {
        time = default;
        if (allowMidnightEnd && text == "24:00")
        {
            time = TimeOnly.MinValue;
            return true;
        }
        return TimeOnly.TryParseExact(text, ["HH:mm", "H:mm"], CultureInfo.InvariantCulture, DateTimeStyles.None, out time);
    }
}
