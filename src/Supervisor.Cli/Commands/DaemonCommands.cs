using Supervisor.Core.Protocol;
using System.CommandLine;
using System.Text.Json;
using Supervisor.Core;
using Supervisor.Core.Daemon;

namespace Supervisor.Cli.Commands;

/// <summary>`sup ping`, `sup version`, `sup kill`, `sup daemon`.</summary>
public static class DaemonCommands
{
    public static Command Ping()
    {
        var command = new Command("ping", "Is the daemon running? (Does not start it.)");
        command.SetAction(async (parse, ct) =>
        {
            PingResult reply;
            try
            {
                reply = await DaemonCall.InvokeAsync(d => d.PingAsync(ct), ct, startIfNeeded: false);
            }
            catch (SupException ex) when (ex.Error == SupError.DaemonNotRunning && ForceKillCommand.Unreachable(SupPaths.FromEnvironment()) is { } unreachable)
            {
                throw unreachable;
            }
            Output.Stdout.Write($"pong (daemon pid {reply.Pid})\n");
            if (reply.KeeperRestartedAt is { } at)
                Output.Stdout.Write($"keeper: restarted at {at.ToLocalTime():yyyy-MM-dd HH:mm:ss} (pid {reply.KeeperPid}): the first one died\n");
            return ExitCodes.Ok;
        });
        return command;
    }

    public static Command Version()
    {
        var command = new Command("version", "Versions of the CLI and the daemon.");
        command.SetAction(async (parse, ct) =>
        {
            Console.WriteLine($"sup CLI     {DaemonMethods.Version} (.NET {Environment.Version})");
            try
            {
                var reply = await DaemonCall.InvokeAsync(d => d.VersionAsync(ct), ct, startIfNeeded: false);
                Console.WriteLine($"sup daemon  {reply.Version} (.NET {reply.Runtime}, pid {reply.Pid})");
            }
            catch (SupException ex) when (ex.Error == SupError.DaemonNotRunning)
            {
                Console.WriteLine("sup daemon  not running");
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    public static Command Kill()
    {
        var force = new Option<bool>("--force") { Description = "SIGKILL the daemon and every app's process group (found by their PID files) at once, without the daemon and without waiting for kill_timeout." };
        var command = new Command("kill", "Stop every app, then the daemon.") { force };
        command.SetAction(async (parse, ct) =>
        {
            var paths = SupPaths.FromEnvironment();
            if (parse.GetValue(force)) return await ForceKillCommand.RunAsync(paths, ct);
            int stopped;
            try
            {
                var reply = await DaemonCall.InvokeAsync(d => d.KillAsync(ct), ct, startIfNeeded: false);
                stopped = reply.Stopped;
            }
            catch (SupException ex) when (ex.Error == SupError.DaemonNotRunning)
            {
                // A deleted socket looks like no daemon; the lock and pid file tell (issue 14).
                if (ForceKillCommand.Unreachable(paths) is { } unreachable) throw unreachable;
                Console.WriteLine("The sup daemon is not running.");
                return ExitCodes.Ok;
            }
            await WaitForExitAsync(paths, ct);
            Console.WriteLine($"Stopped {stopped} app(s) and the daemon.");
            return ExitCodes.Ok;
        });
        return command;
    }

    public static Command Daemon()
    {
        var resurrect = new Option<bool>("--resurrect") { Description = "Start the saved app set (`sup save`) once running; what `sup startup` units run." };
        var command = new Command("daemon", "Run the daemon in the foreground (for boot units and debugging).") { resurrect };
        command.SetAction((parse, ct) => RunDaemonAsync(parse.GetValue(resurrect)));
        return command;
    }

    public static Task<int> RunDaemonAsync(bool resurrect) =>
        new DaemonHost(SupPaths.FromEnvironment(), TimeProvider.System) { ResurrectAtStart = resurrect, KeeperCommand = DaemonLauncher.KeeperCommand() }.RunAsync(CancellationToken.None);

    /// <summary>The daemon answers `kill` before it exits; wait until its pid file is gone.</summary>
    private static async Task WaitForExitAsync(SupPaths paths, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (File.Exists(paths.PidFile) && DateTime.UtcNow < deadline)
            await Task.Delay(20, ct);
    }
}
