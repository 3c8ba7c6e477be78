using System.Globalization;

namespace Supervisor.Core.Keeper;

/// <summary>
/// The keeper's line protocol, both directions, one space-separated line per message:
/// <list type="bullet">
/// <item>daemon → keeper: <c>hold PID START OUTFD OUTPIPE ERRFD ERRPIPE</c> (an app started: its
/// /proc start time, and the daemon's descriptor number and pipe inode of each read end; the
/// keeper opens /proc/DAEMON/fd/N and checks the inode, so a reused descriptor number is never
/// mistaken for the pipe), <c>drop PID</c> (its output is drained: let go of the pipes), <c>serving</c> (it
/// is up), <c>stopping</c> (a shutdown: do not start another daemon after this one),
/// <c>replacing</c> (`sup update`: start the sup on disk after this one), and to a keeper the
/// daemon started itself, <c>handed</c> after the "hold" of every running app.</item>
/// <item>keeper → daemon, once at start: <c>held PID START OUTFD ERRFD EXIT</c> per app whose
/// pipes it holds (its own descriptor numbers, to open as /proc/KEEPER/fd/N; EXIT is the exit code
/// if the app ended while no daemon ran, or <c>-</c>), <c>orphan PID START</c> per child of
/// the keeper leading its own session whose pipes it does not hold, then <c>ready</c>; later
/// <c>exit PID CODE</c> when it reaps an app re-parented to it, and <c>holding COUNT</c> in answer
/// to "handed".</item>
/// </list>
/// </summary>
public static class KeeperMessage
{
    /// <summary>The daemon's descriptor to the keeper, and the keeper's pid, in the daemon's environment.</summary>
    public const string FdVariable = "SUP_KEEPER_FD";
    public const string PidVariable = "SUP_KEEPER_PID";

    /// <summary>A daemon that exits with this code asks its keeper for a new daemon at once (`sup update`), not a stop.</summary>
    public const int ReplaceMe = 75;

    public static string Hold(int pid, ulong start, int outFd, ulong outPipe, int errFd, ulong errPipe) =>
        string.Create(CultureInfo.InvariantCulture, $"hold {pid} {start} {outFd} {outPipe} {errFd} {errPipe}");

    public static string Drop(int pid) => string.Create(CultureInfo.InvariantCulture, $"drop {pid}");

    public static string Held(int pid, ulong start, int outFd, int errFd, int? exit) =>
        string.Create(CultureInfo.InvariantCulture, $"held {pid} {start} {outFd} {errFd} {(exit is int e ? e.ToString(CultureInfo.InvariantCulture) : "-")}");

    public static string Orphan(int pid, ulong start) => string.Create(CultureInfo.InvariantCulture, $"orphan {pid} {start}");

    public static string Exit(int pid, int code) => string.Create(CultureInfo.InvariantCulture, $"exit {pid} {code}");

    public const string Ready = "ready";

    /// <summary>
    /// A daemon whose keeper died starts a new one (`sup keeper`, KeeperRespawner) with these: its
    /// end of a new socketpair, and the daemon's pid. That keeper takes "hold" lines for every app
    /// running, answers the daemon's "handed" with "holding COUNT", and starts the next daemon
    /// when this one dies.
    /// </summary>
    public const string AdoptFdVariable = "SUP_KEEPER_ADOPT_FD";
    public const string AdoptPidVariable = "SUP_KEEPER_ADOPT_PID";

    /// <summary>daemon → a keeper it started: every running app's "hold" has been sent.</summary>
    public const string Handed = "handed";

    /// <summary>keeper → daemon, the answer to "handed": it holds the pipes of this many apps.</summary>
    public static string Holding(int count) => string.Create(CultureInfo.InvariantCulture, $"holding {count}");

    /// <summary>
    /// daemon → keeper: it is about to exit to be replaced (`sup update`). A keeper the daemon
    /// started cannot see its exit code (<see cref="ReplaceMe"/>): this says it.
    /// </summary>
    public const string Replacing = "replacing";

    /// <summary>daemon → keeper: it serves RPC (a daemon that dies before this counts toward the crash-loop guard).</summary>
    public const string Serving = "serving";

    /// <summary>daemon → keeper: a shutdown has begun (`sup kill`, SIGTERM); whatever its exit code, the keeper exits after it.</summary>
    public const string Stopping = "stopping";

    /// <summary>The verb and its numeric arguments (a '-' is null), or null for a malformed line.</summary>
    public static (string Verb, long?[] Args)? Parse(string line)
    {
        var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0) return null;
        var args = new long?[parts.Length - 1];
        for (var i = 1; i < parts.Length; i++)
        {
            if (parts[i] == "-") continue;
            if (!long.TryParse(parts[i], NumberStyles.Integer, CultureInfo.InvariantCulture, out var v)) return null;
            args[i - 1] = v;
        }
        return (parts[0], args);
    }
}
