using System.Diagnostics.CodeAnalysis;

namespace Supervisor.Core.Scheduling;

/// <summary>
/// A cron expression and its next fire times in a time zone.
/// </summary>
/// <remarks>
/// <para><b>Syntax.</b> Five fields <c>minute hour day-of-month month day-of-week</c>, or six with
/// <c>second</c> first. Each field is a list (<c>9,17,1-3</c>) of <c>*</c>, a value, a range
/// (<c>1-5</c>), or any of those with a step (<c>*/15</c>, <c>10-50/20</c>, <c>5/15</c> = from 5 to
/// the end, every 15). Months accept <c>JAN</c>-<c>DEC</c> and days <c>SUN</c>-<c>SAT</c> in any case,
/// also in ranges (<c>MON-FRI</c>, <c>FRI-SUN</c>); 0 and 7 are both Sunday; <c>?</c> means <c>*</c>
/// in the two day fields. Macros: <c>@yearly</c>, <c>@annually</c>, <c>@monthly</c>, <c>@weekly</c>,
/// <c>@daily</c>, <c>@midnight</c>, <c>@hourly</c>.</para>
/// <para><b>Day-of-month and day-of-week</b> (Vixie cron's rule): when both are restricted, a day
/// matching either fires (<c>0 9 1 * MON</c> = the 1st and every Monday). A field that begins with
/// <c>*</c> or <c>?</c> (including <c>*/2</c>) counts as unrestricted, and then both must match
/// (<c>0 9 */2 * MON</c> = Mondays that fall on an odd date).</para>
/// <para><b>Daylight saving time.</b> Fields are matched against wall-clock time in the zone.
/// An expression whose hour field is a fixed value, list or range (<c>30 2 * * *</c>,
/// <c>0 9-17 * * *</c>) names wall-clock times: a time skipped when clocks spring forward fires
/// once, at the first instant after the gap (02:30 on a day that jumps from 02:00 to 03:00 fires at
/// 03:00); a time that happens twice when clocks fall back fires once, at its first occurrence.
/// An expression whose hour field is <c>*</c> or a step (<c>*/30 * * * *</c>, <c>0 * * * *</c>,
/// <c>0 */2 * * *</c>) is an interval of real time: times in a gap are skipped (nothing is
/// invented), and times that happen twice fire twice, so <c>*/30</c> fires every 30 minutes of
/// elapsed time through both changes.</para>
/// <para>Searches jump field by field in wall-clock time and give up after 400 years (a full
/// Gregorian cycle, so an expression that never fires, like <c>0 0 30 2 *</c>, returns null).
/// Instances are immutable and thread-safe.</para>
/// </remarks>
public sealed class CronExpression
{
    // A whole Gregorian calendar cycle: if nothing matches in 400 years, nothing ever will.
    private const int SearchYears = 400;
    private const int LastSearchableYear = 9998;

    private readonly string _text;
    private readonly CronFieldSet _fields;

    private CronExpression(string text, CronFieldSet fields, bool hasSeconds)
    {
        _text = text;
        _fields = fields;
        HasSeconds = hasSeconds;
    }

    /// <summary>The parsed fields, for exporters (Export/CronToOnCalendar).</summary>
    internal CronFieldSet Fields => _fields;

    /// <summary>True when the expression has six fields, the first being seconds.</summary>
    public bool HasSeconds { get; }

    /// <summary>Parses <paramref name="expression"/>.</summary>
    /// <exception cref="CronFormatException">The text is not a valid expression; the message names the field and token.</exception>
    public static CronExpression Parse(string expression)
    {
        ArgumentNullException.ThrowIfNull(expression);
        if (!TryParse(expression, out var result, out _, out var error))
        {
            throw error;
        }
        return result;
    }

    /// <summary>Parses <paramref name="expression"/>; on failure <paramref name="error"/> is the message <see cref="Parse"/> would throw.</summary>
    public static bool TryParse(
        string? expression,
        [NotNullWhen(true)] out CronExpression? result,
        [NotNullWhen(false)] out string? error)
    {
        var parsed = TryParse(expression ?? "", out result, out _, out var exception);
        error = exception?.Message;
        return parsed;
    }

    private static bool TryParse(
        string expression,
        [NotNullWhen(true)] out CronExpression? result,
        out bool hasSeconds,
        [NotNullWhen(false)] out CronFormatException? error)
    {
        error = CronParser.TryParse(expression, out var fields, out hasSeconds);
        result = fields is null ? null : new CronExpression(expression, fields, hasSeconds);
        return error is null;
    }

    /// <summary>
    /// The first fire time strictly after <paramref name="fromExclusive"/>, with the zone's offset
    /// at that instant (as <c>TimeZoneInfo.ConvertTime(result, zone)</c>), or null when the
    /// expression never fires again. See the remarks on the type for the DST rules.
    /// </summary>
    public DateTimeOffset? GetNextOccurrence(DateTimeOffset fromExclusive, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);

        var fromUtc = fromExclusive.UtcTicks;
        var fromOffset = ZoneClock.OffsetAt(zone, fromUtc);
        var fromLocal = Math.Clamp(fromUtc + fromOffset, 0, DateTime.MaxValue.Ticks - TimeSpan.TicksPerSecond);
        var lastYear = Math.Min(new DateTime(fromLocal).Year + SearchYears, LastSearchableYear);

        var secondPass = _fields.FollowsRealTime ? SecondPassOfCurrentOverlap(fromUtc, fromLocal, fromOffset, zone, lastYear) : null;

        // Wall-clock times just after `from` come first; the search restarts past each DST range it skips.
        var start = fromLocal - fromLocal % TimeSpan.TicksPerSecond + TimeSpan.TicksPerSecond;
        while (_fields.FindNext(new DateTime(start), lastYear) is { } next)
        {
            var local = next.Ticks;
            var mapping = ZoneClock.Resolve(zone, local);
            long instant, offset;
            switch (mapping.Kind)
            {
                case LocalTimeKind.Gap when _fields.FollowsRealTime:
                    start = mapping.RangeEndLocalTicks;
                    continue;
                case LocalTimeKind.Gap:
                    (instant, offset) = (mapping.TransitionUtcTicks, mapping.OffsetAfter);
                    break;
                case LocalTimeKind.Overlap when local - mapping.OffsetBefore > fromUtc:
                    (instant, offset) = (local - mapping.OffsetBefore, mapping.OffsetBefore);
                    break;
                case LocalTimeKind.Overlap when _fields.FollowsRealTime:
                    // `from` is in the repeated hour's second pass: it continues there.
                    (instant, offset) = (local - mapping.OffsetAfter, mapping.OffsetAfter);
                    break;
                case LocalTimeKind.Overlap:
                    // The first pass already fired this wall-clock time.
                    start = mapping.RangeEndLocalTicks;
                    continue;
                default:
                    (instant, offset) = (local - mapping.Offset, mapping.Offset);
                    break;
            }

            if (secondPass is { } pass && pass.Instant < instant)
            {
                (instant, offset) = pass;
            }
            return ZoneClock.ToZoneTime(instant, offset, zone);
        }

        return secondPass is { } onlyPass ? ZoneClock.ToZoneTime(onlyPass.Instant, onlyPass.Offset, zone) : null;
    }

    /// <summary>
    /// The next <paramref name="count"/> fire times after <paramref name="fromExclusive"/>, fewer if
    /// the expression stops firing.
    /// </summary>
    public IEnumerable<DateTimeOffset> GetOccurrences(DateTimeOffset fromExclusive, TimeZoneInfo zone, int count)
    {
        ArgumentNullException.ThrowIfNull(zone);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        return Enumerate();

        IEnumerable<DateTimeOffset> Enumerate()
        {
            var from = fromExclusive;
            for (var i = 0; i < count && GetNextOccurrence(from, zone) is { } next; i++)
            {
                yield return next;
                from = next;
            }
        }
    }

    /// <summary>The expression as written.</summary>
    public override string ToString() => _text;

    // When `from` lies in the first pass of a repeated hour, an interval schedule fires again in the
    // second pass, which starts at an earlier wall-clock time than `from`'s: the forward search
    // alone would miss it.
    private (long Instant, long Offset)? SecondPassOfCurrentOverlap(
        long fromUtc, long fromLocal, long fromOffset, TimeZoneInfo zone, int lastYear)
    {
        // Cheap test first: no fall-back transition is coming soon.
        if (ZoneClock.OffsetAt(zone, fromUtc + TimeSpan.TicksPerDay) >= fromOffset)
        {
            return null;
        }
        var mapping = ZoneClock.Resolve(zone, fromLocal);
        if (mapping.Kind != LocalTimeKind.Overlap || mapping.OffsetBefore != fromOffset)
        {
            return null;
        }
        if (_fields.FindNext(new DateTime(mapping.RangeStartLocalTicks), lastYear) is not { } first
            || first.Ticks >= mapping.RangeEndLocalTicks)
        {
            return null;
        }
        return (first.Ticks - mapping.OffsetAfter, mapping.OffsetAfter);
    }
}
