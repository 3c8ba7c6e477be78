using System.CommandLine;
using Supervisor.Core;
using Supervisor.Core.Daemon;

namespace Supervisor.Cli.Commands;

/// <summary>
/// `sup update` (PM2's `pm2 update`): the daemon is replaced by the `sup` now on disk without
/// restarting any app. The daemon exits at once, its keeper starts the new one, which adopts the
/// running apps from the journal (src/Supervisor.Core/Keeper).
/// </summary>
public static class UpdateCommand
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    public static Command Create()
    {
        var command = new Command("update", "Replace the daemon with the sup now on disk; the apps keep running.");
        command.SetAction(async (parse, ct) =>
        {
            var before = await DaemonCall.InvokeAsync(d => d.VersionAsync(ct), ct, startIfNeeded: false);
            var oldPid = before.Pid;
            try
            {
                await DaemonCall.InvokeAsync(d => d.ReplaceAsync(ct), ct, startIfNeeded: false);
            }
            catch (SupException ex) when (ex.Error == SupError.DaemonNotRunning)
            {
                // The daemon exits as soon as it accepted: its reply may never be written, and the
                // closed connection is the answer. Whether a new one came is checked below.
            }

            var deadline = DateTime.UtcNow + Timeout;
            while (true)
            {
                await Task.Delay(50, ct);
                try
                {
                    var after = await DaemonCall.InvokeAsync(d => d.VersionAsync(ct), ct, startIfNeeded: false);
                    if (after.Pid != oldPid)
                    {
                        Output.Stdout.Write($"Replaced the daemon: pid {oldPid} ({before.Version}) -> pid {after.Pid} ({after.Version}); the apps kept running.\n");
                        return ExitCodes.Ok;
                    }
                }
                catch (SupException ex) when (ex.Error == SupError.DaemonNotRunning)
                {
                    // Between the two daemons.
                }
                if (DateTime.UtcNow > deadline)
                    throw new SupException(SupError.DaemonNotRunning,
                        $"The new daemon did not answer within {Timeout.TotalSeconds:0} s. See {SupPaths.FromEnvironment().DaemonOut} and {SupPaths.FromEnvironment().DaemonLog}.");
            }
        });
        return command;
    }
}
