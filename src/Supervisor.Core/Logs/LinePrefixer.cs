using System.Globalization;
using System.Text;

namespace Supervisor.Core.Logs;

/// <summary>
/// The <c>log_date_format</c> prefix of each captured line, PM2's <c>"&lt;date&gt;: &lt;line&gt;"</c>:
/// <c>"{local now formatted}: "</c> as UTF-8 bytes. Formatted at most once per millisecond (per
/// tick when the format shows finer fractions) and shared by every line read in that time.
/// Safe to share between the stdout and stderr pumps of one app.
/// </summary>
public sealed class LinePrefixer
{
    private readonly string _dateFormat;
    private readonly TimeProvider _time;
    private readonly long _ticksPerFormat;
    private CachedPrefix? _cached;

    /// <param name="dateFormat">A .NET custom date format, e.g. <c>yyyy-MM-dd HH:mm:ss.fff zzz</c>.</param>
    /// <exception cref="SupException">The format is empty or invalid.</exception>
    public LinePrefixer(string dateFormat, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(dateFormat);
        ArgumentNullException.ThrowIfNull(time);
        _dateFormat = dateFormat;
        _time = time;
        _ticksPerFormat = dateFormat.Contains("ffff", StringComparison.Ordinal) || dateFormat.Contains("FFFF", StringComparison.Ordinal)
            ? 1
            : TimeSpan.TicksPerMillisecond;
        try
        {
            if (string.IsNullOrWhiteSpace(dateFormat))
            {
                throw new FormatException("It is empty.");
            }
            _ = DateTimeOffset.UnixEpoch.ToString(dateFormat, CultureInfo.InvariantCulture);
        }
        catch (FormatException ex)
        {
            throw new SupException(SupError.InvalidConfig,
                $"The log_date_format \"{dateFormat}\" is not a valid date format ({ex.Message}). Use .NET format letters, e.g. \"yyyy-MM-dd HH:mm:ss.fff zzz\".", ex);
        }
    }

    public string DateFormat => _dateFormat;

    /// <summary>The prefix for lines read now. The bytes must not be modified.</summary>
    public ReadOnlyMemory<byte> Current()
    {
        var now = _time.GetUtcNow();
        var key = now.UtcTicks / _ticksPerFormat;
        var cached = _cached;
        if (cached is not null && cached.Key == key)
        {
            return cached.Bytes;
        }
        var local = TimeZoneInfo.ConvertTime(now, _time.LocalTimeZone);
        var bytes = Encoding.UTF8.GetBytes(local.ToString(_dateFormat, CultureInfo.InvariantCulture) + ": ");
        // One immutable object swapped whole, so a concurrent reader sees a matching key and bytes.
        _cached = new CachedPrefix(key, bytes);
        return bytes;
    }

    private sealed record CachedPrefix(long Key, byte[] Bytes);
}
