using System.Globalization;

namespace Supervisor.Core.Config;

/// <summary>
/// Durations as ecosystem files write them: <c>500ms</c>, <c>10s</c>, <c>5m</c>, <c>6h</c>, <c>1d</c>,
/// combinations such as <c>1h30m</c>, decimals such as <c>1.5s</c>, or a bare number of
/// milliseconds (PM2's form). Units are case-insensitive; negative values are invalid.
/// </summary>
public static class Duration
{
    /// <summary>What to tell a user who wrote something else.</summary>
    public const string Hint = "use 500ms, 10s, 5m, 6h, 1d or milliseconds";

    private static readonly (string Suffix, long Ticks)[] Units =
    [
        // "ms" before "m": the longest suffix must win.
        ("ms", TimeSpan.TicksPerMillisecond),
        ("s", TimeSpan.TicksPerSecond),
        ("m", TimeSpan.TicksPerMinute),
        ("h", TimeSpan.TicksPerHour),
        ("d", TimeSpan.TicksPerDay),
    ];

    public static bool TryParse(string? text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var rest = text.AsSpan().Trim();
        if (TryReadNumber(ref rest, out var bareMs) && rest.IsEmpty)
        {
            return TryScale(bareMs, TimeSpan.TicksPerMillisecond, out var bareTicks)
                && TryBuild(bareTicks, out value);
        }

        rest = text.AsSpan().Trim();
        long total = 0;
        while (!rest.IsEmpty)
        {
            if (!TryReadNumber(ref rest, out var number) || !TryReadUnit(ref rest, out var unitTicks)
                || !TryScale(number, unitTicks, out var ticks) || ticks > long.MaxValue - total)
            {
                return false;
            }

            total += ticks;
            rest = rest.TrimStart();
        }

        return TryBuild(total, out value);
    }

    /// <exception cref="FormatException">The text is not a valid duration.</exception>
    public static TimeSpan Parse(string text) =>
        TryParse(text, out var value)
            ? value
            : throw new FormatException($"'{text}' is not a valid duration ({Hint}).");

    /// <summary>
    /// The shortest exact form in the largest whole unit (<c>5s</c>, <c>1500ms</c>, <c>6h</c>, <c>0s</c>).
    /// Sub-millisecond parts are written as a decimal number of milliseconds.
    /// </summary>
    public static string Format(TimeSpan value)
    {
        if (value < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "Durations are never negative.");
        }

        if (value == TimeSpan.Zero)
        {
            return "0s";
        }

        for (var i = Units.Length - 1; i >= 0; i--)
        {
            var (suffix, ticks) = Units[i];
            if (value.Ticks % ticks == 0)
            {
                return (value.Ticks / ticks).ToString(CultureInfo.InvariantCulture) + suffix;
            }
        }

        return ((decimal)value.Ticks / TimeSpan.TicksPerMillisecond).ToString(CultureInfo.InvariantCulture) + "ms";
    }

    private static bool TryReadNumber(ref ReadOnlySpan<char> rest, out decimal number)
    {
        var length = 0;
        var dots = 0;
        while (length < rest.Length && (char.IsAsciiDigit(rest[length]) || rest[length] == '.'))
        {
            dots += rest[length] == '.' ? 1 : 0;
            length++;
        }

        number = 0;
        if (length == 0 || dots > 1 || !char.IsAsciiDigit(rest[0]) || !char.IsAsciiDigit(rest[length - 1]))
        {
            return false;
        }

        var ok = decimal.TryParse(rest[..length], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out number);
        rest = rest[length..].TrimStart();
        return ok;
    }

    private static bool TryReadUnit(ref ReadOnlySpan<char> rest, out long ticks)
    {
        foreach (var (suffix, unitTicks) in Units)
        {
            if (rest.StartsWith(suffix, StringComparison.OrdinalIgnoreCase)
                && (rest.Length == suffix.Length || !char.IsAsciiLetter(rest[suffix.Length])))
            {
                rest = rest[suffix.Length..];
                ticks = unitTicks;
                return true;
            }
        }

        ticks = 0;
        return false;
    }

    private static bool TryScale(decimal number, long unitTicks, out long ticks)
    {
        ticks = 0;
        if (number > long.MaxValue / unitTicks)
        {
            return false;
        }

        ticks = (long)Math.Round(number * unitTicks, MidpointRounding.AwayFromZero);
        return true;
    }

    private static bool TryBuild(long ticks, out TimeSpan value)
    {
        value = TimeSpan.FromTicks(ticks);
        return ticks >= 0;
    }
}
