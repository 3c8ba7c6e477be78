using System.Globalization;
using System.Text;

namespace Supervisor.Core.Config;

/// <summary>
/// Timestamps prefixed to log lines use .NET custom date formats. PM2 files carry moment.js
/// formats (<c>YYYY-MM-DD HH:mm Z</c>), which .NET would print half literally, so those are translated.
/// </summary>
internal static class LogDateFormat
{
    /// <summary>What PM2's <c>time: true</c> turns on.</summary>
    public const string Default = "yyyy-MM-dd HH:mm:ss.fff zzz";

    // Whether a format throws depends on the format alone, so any instant will do.
    private static readonly DateTimeOffset Sample = new(2026, 11, 22, 9, 0, 0, TimeSpan.FromHours(1));

    /// <summary>True when the format prints without error.</summary>
    public static bool IsValid(string format)
    {
        try
        {
            _ = Sample.ToString(format, CultureInfo.InvariantCulture);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>
    /// Year and day-of-month are upper case only in moment.js (.NET would print the letters), so
    /// "YY" or "DD" marks a moment format.
    /// </summary>
    public static bool LooksLikeMoment(string format) =>
        format.Contains("YY", StringComparison.Ordinal) || format.Contains("DD", StringComparison.Ordinal);

    public static string FromMoment(string format)
    {
        var result = new StringBuilder();
        for (var i = 0; i < format.Length;)
        {
            var c = format[i];
            var run = 1;
            while (i + run < format.Length && format[i + run] == c)
            {
                run++;
            }

            switch (c)
            {
                case '[':
                    // moment's [literal] is .NET's 'literal'.
                    var close = format.IndexOf(']', i);
                    var literal = close < 0 ? format[(i + 1)..] : format[(i + 1)..close];
                    result.Append('\'').Append(literal.Replace("'", "", StringComparison.Ordinal)).Append('\'');
                    i = close < 0 ? format.Length : close + 1;
                    continue;
                case 'Y':
                    result.Append(run >= 4 ? "yyyy" : "yy");
                    break;
                case 'D':
                    result.Append(run >= 2 ? "dd" : "d");
                    break;
                case 'S':
                    result.Append('f', Math.Min(run, 7));
                    break;
                case 'Z':
                    result.Append("zzz");
                    break;
                case 'A' or 'a':
                    result.Append("tt");
                    break;
                default:
                    result.Append(c, run);
                    break;
            }

            i += run;
        }

        return result.ToString();
    }
}
