using System.Globalization;
using System.Numerics;

namespace Supervisor.Core.Platform;

/// <summary>
/// The fields of one <c>/proc/PID/stat</c> line the supervisor uses (proc(5)).
/// </summary>
internal readonly record struct ProcStat(
    int Pid,
    char State,
    int ParentPid,
    int ProcessGroupId,
    int SessionId,
    ulong UserTicks,
    ulong SystemTicks,
    ulong StartTimeTicks,
    long RssPages)
{
    public ulong CpuTicks => UserTicks + SystemTicks;

    /// <summary>Zombie ('Z') or dead ('X'): exited, only waiting to be reaped.</summary>
    public bool HasExited => State is 'Z' or 'X';

    // Field positions counted from the state field, the first one after the command.
    private const int StateField = 0, ParentField = 1, GroupField = 2, SessionField = 3;
    private const int UserTimeField = 11, SystemTimeField = 12, StartTimeField = 19, RssField = 21;

    public static bool TryParse(ReadOnlySpan<byte> text, out ProcStat stat) => TryParse(text, out stat, out _);

    /// <summary>
    /// Parses a stat line. The command (comm) may contain anything, spaces and ')' included, so it
    /// runs from the first '(' to the LAST ')'; the numeric fields follow it.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> text, out ProcStat stat, out ReadOnlySpan<byte> command)
    {
        stat = default;
        command = default;

        var open = text.IndexOf((byte)'(');
        var close = text.LastIndexOf((byte)')');
        if (open < 1 || close < open || !TryParseNumber(text[..open].TrimEnd((byte)' '), out int pid))
        {
            return false;
        }

        command = text[(open + 1)..close];
        var rest = text[(close + 1)..];

        char state = '\0';
        int parent = 0, group = 0, session = 0;
        ulong user = 0, system = 0, start = 0;
        long rss = 0;
        var field = 0;
        foreach (var range in rest.Split((byte)' '))
        {
            var value = rest[range];
            if (value.IsEmpty)
            {
                continue; // the space right after ')'
            }

            var ok = field switch
            {
                StateField => TryParseState(value, out state),
                ParentField => TryParseNumber(value, out parent),
                GroupField => TryParseNumber(value, out group),
                SessionField => TryParseNumber(value, out session),
                UserTimeField => TryParseNumber(value, out user),
                SystemTimeField => TryParseNumber(value, out system),
                StartTimeField => TryParseNumber(value, out start),
                RssField => TryParseNumber(value, out rss),
                _ => true,
            };
            if (!ok)
            {
                return false;
            }

            if (field++ == RssField)
            {
                stat = new ProcStat(pid, state, parent, group, session, user, system, start, rss);
                return true;
            }
        }

        return false;
    }

    private static bool TryParseState(ReadOnlySpan<byte> value, out char state)
    {
        state = value.Length == 1 ? (char)value[0] : '\0';
        return value.Length == 1;
    }

    private static bool TryParseNumber<T>(ReadOnlySpan<byte> value, out T number)
        where T : IUtf8SpanParsable<T>, IBinaryInteger<T> =>
        T.TryParse(value, NumberFormatInfo.InvariantInfo, out number!);
}
