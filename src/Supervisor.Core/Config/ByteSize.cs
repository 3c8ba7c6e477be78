using System.Globalization;

namespace Supervisor.Core.Config;

/// <summary>
/// Sizes as ecosystem files write them: <c>10MB</c>, <c>10M</c>, <c>512K</c>, <c>512KB</c>, <c>1G</c>,
/// <c>1GiB</c>, <c>100B</c> or a bare number of bytes. Case-insensitive and 1024-based, as in PM2.
/// </summary>
public static class ByteSize
{
    public const string Hint = "use 512K, 10MB, 1G or a number of bytes";

    private static readonly (char Letter, long Bytes)[] Units =
    [
        ('K', 1L << 10),
        ('M', 1L << 20),
        ('G', 1L << 30),
        ('T', 1L << 40),
    ];

    public static bool TryParse(string? text, out long bytes)
    {
        bytes = 0;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var span = text.AsSpan().Trim();
        var numberLength = 0;
        while (numberLength < span.Length && (char.IsAsciiDigit(span[numberLength]) || span[numberLength] == '.'))
        {
            numberLength++;
        }

        if (numberLength == 0 || !char.IsAsciiDigit(span[0]) || !char.IsAsciiDigit(span[numberLength - 1])
            || !decimal.TryParse(span[..numberLength], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number)
            || !TryReadMultiplier(span[numberLength..].TrimStart(), out var multiplier)
            || number > long.MaxValue / multiplier)
        {
            return false;
        }

        bytes = (long)Math.Round(number * multiplier, MidpointRounding.AwayFromZero);
        return true;
    }

    /// <summary>The largest unit that divides the size exactly: <c>10MB</c>, <c>1536KB</c>, <c>100B</c>.</summary>
    public static string Format(long bytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        for (var i = Units.Length - 1; i >= 0 && bytes != 0; i--)
        {
            var (letter, unit) = Units[i];
            if (bytes % unit == 0)
            {
                return (bytes / unit).ToString(CultureInfo.InvariantCulture) + letter + "B";
            }
        }

        return bytes.ToString(CultureInfo.InvariantCulture) + "B";
    }

    private static bool TryReadMultiplier(ReadOnlySpan<char> suffix, out long multiplier)
    {
        multiplier = 1;
        if (suffix.IsEmpty || suffix.Equals("B", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        foreach (var (letter, bytes) in Units)
        {
            if (char.ToUpperInvariant(suffix[0]) != letter)
            {
                continue;
            }

            var tail = suffix[1..];
            multiplier = bytes;
            return tail.IsEmpty
                || tail.Equals("B", StringComparison.OrdinalIgnoreCase)
                || tail.Equals("iB", StringComparison.OrdinalIgnoreCase);
        }

        return false;
    }
}
