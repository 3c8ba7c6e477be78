using Supervisor.Core;
using Supervisor.Core.Daemon;
using Supervisor.Core.Platform;

namespace Supervisor.Cli;

/// <summary>`sup kill --force` and the "running but unreachable" check, kept out of the kill command (<see cref="ForceKill"/> does the work).</summary>
public static class ForceKillCommand
{
    public static async Task<int> RunAsync(SupPaths paths, CancellationToken cancellationToken)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new SupException(SupError.NotSupported, "`sup kill --force` needs PID files and signals; on Windows use `sup kill`.");
        }

        var result = await ForceKill.RunAsync(paths, ProcessControl.Current, cancellationToken);
        var daemon = result.DaemonPid is int pid ? $"the daemon (pid {pid})" : "no daemon (none was running)";
        var apps = result.Apps.Count == 0 ? "no app process" : $"{result.Apps.Count} app(s): {string.Join(", ", result.Apps)}";
        Console.WriteLine($"Killed {daemon} and {apps}.");
        return ExitCodes.Ok;
    }

    /// <summary>Null when no daemon runs for <paramref name="paths"/>; else the error saying it runs unreachable.</summary>
    public static SupException? Unreachable(SupPaths paths) =>
        OperatingSystem.IsWindows() ? null : ForceKill.Unreachable(paths, ProcessControl.Current, DaemonLauncher.SocketPath(paths));
}
