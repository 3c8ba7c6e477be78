using Supervisor.Core;

namespace Supervisor.Cli;

/// <summary>Stable exit codes, so scripts can tell "not running" from "bad input".</summary>
public static class ExitCodes
{
    public const int Ok = 0;
    public const int Failed = 1;
    public const int Usage = 2;
    public const int DaemonNotRunning = 3;
    public const int NoSuchApp = 4;
    public const int InvalidConfig = 5;
    public const int Interrupted = 130;

    public static int For(SupError error) => error switch
    {
        SupError.DaemonNotRunning => DaemonNotRunning,
        SupError.NoSuchApp => NoSuchApp,
        SupError.InvalidConfig => InvalidConfig,
        SupError.BadArgument => Usage,
        _ => Failed,
    };
}
