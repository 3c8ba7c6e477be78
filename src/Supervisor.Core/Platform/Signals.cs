using System.Globalization;

namespace Supervisor.Core.Platform;

/// <summary>
/// Signal names and numbers. The numbers that differ between Linux and macOS come from a per-OS
/// table and are therefore not constants.
/// </summary>
public static class Signals
{
    private static readonly Dictionary<string, int> ByName = BuildTable();
    private static readonly Dictionary<int, string> ByNumber = ByName.ToDictionary(pair => pair.Value, pair => pair.Key);

    public const int SIGHUP = 1;
    public const int SIGINT = 2;
    public const int SIGQUIT = 3;
    public const int SIGKILL = 9;
    public const int SIGTERM = 15;

    public static readonly int SIGUSR1 = ByName["SIGUSR1"];
    public static readonly int SIGUSR2 = ByName["SIGUSR2"];
    public static readonly int SIGCONT = ByName["SIGCONT"];
    public static readonly int SIGSTOP = ByName["SIGSTOP"];

    /// <summary>Real-time signals go up to 64 on Linux; accepted by number only.</summary>
    private const int HighestNumber = 64;

    /// <summary>Accepts "SIGTERM", "TERM", "sigterm" and "15".</summary>
    public static bool TryParse(string? text, out int signal)
    {
        signal = 0;
        var name = text?.Trim() ?? "";
        if (int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            signal = number is >= 1 and <= HighestNumber ? number : 0;
            return signal != 0;
        }

        if (!name.StartsWith("SIG", StringComparison.OrdinalIgnoreCase))
        {
            name = "SIG" + name;
        }

        return ByName.TryGetValue(name, out signal);
    }

    /// <summary>"SIGTERM" for 15; a number without a name is returned as digits, which
    /// <see cref="TryParse"/> reads back.</summary>
    public static string Name(int signal) =>
        ByNumber.TryGetValue(signal, out var name) ? name : signal.ToString(CultureInfo.InvariantCulture);

    private static Dictionary<string, int> BuildTable()
    {
        var table = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase)
        {
            ["SIGHUP"] = 1, ["SIGINT"] = 2, ["SIGQUIT"] = 3, ["SIGILL"] = 4, ["SIGTRAP"] = 5, ["SIGABRT"] = 6,
            ["SIGFPE"] = 8, ["SIGKILL"] = 9, ["SIGSEGV"] = 11, ["SIGPIPE"] = 13, ["SIGALRM"] = 14, ["SIGTERM"] = 15,
        };

        // Where BSD numbering (macOS) and Linux part ways.
        var (bus, usr1, usr2, chld, cont, stop, tstp, urg, io, sys) = OperatingSystem.IsMacOS() || OperatingSystem.IsFreeBSD()
            ? (10, 30, 31, 20, 19, 17, 18, 16, 23, 12)
            : (7, 10, 12, 17, 18, 19, 20, 23, 29, 31);
        table["SIGBUS"] = bus;
        table["SIGUSR1"] = usr1;
        table["SIGUSR2"] = usr2;
        table["SIGCHLD"] = chld;
        table["SIGCONT"] = cont;
        table["SIGSTOP"] = stop;
        table["SIGTSTP"] = tstp;
        table["SIGURG"] = urg;
        table["SIGIO"] = io;
        table["SIGSYS"] = sys;
        table["SIGTTIN"] = 21;
        table["SIGTTOU"] = 22;
        table["SIGXCPU"] = 24;
        table["SIGXFSZ"] = 25;
        table["SIGVTALRM"] = 26;
        table["SIGPROF"] = 27;
        table["SIGWINCH"] = 28;
        return table;
    }
}
