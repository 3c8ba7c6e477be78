using System.CommandLine;
using Supervisor.Core;
using Supervisor.Core.Config;
using Supervisor.Core.Daemon;
using Supervisor.Core.Rpc;
using Supervisor.Core.Startup;

namespace Supervisor.Cli.Commands;

/// <summary>`sup startup` and `sup unstartup`: start the daemon (and the saved set) at boot, or stop doing so.</summary>
public static class StartupCommands
{
    public static Command Startup()
    {
        var (init, user, system) = Arguments();
        var dryRun = new Option<bool>("--dry-run") { Description = "Print the unit/plist/task definition and the commands; change nothing." };
        // PM2's `pm2 startup -u USER --hp HOME`.
        var account = new Option<string?>("-u") { Description = "The user the daemon runs as (a system entry; PM2's -u).", HelpName = "user" };
        var homePath = new Option<string?>("--hp") { Description = "That user's home folder (PM2's --hp); SUP_HOME defaults to HOME/.sup.", HelpName = "home" };
        var command = new Command("startup", "Start the daemon at boot (systemd, launchd or Windows Task Scheduler), resurrecting the set `sup save` wrote.")
        {
            init, user, system, dryRun, account, homePath,
        };
        command.SetAction(async (parse, ct) =>
        {
            var initSystem = InitSystemOf(parse.GetValue(init));
            var spec = StartupSpec.ForCurrentUser(ScopeOf(parse, user, system), SupCommand(), await StopTimeoutAsync(ct));
            spec = StartupTarget.For(spec, parse.GetValue(account), parse.GetValue(homePath), Environment.GetEnvironmentVariable("SUP_HOME") is { Length: > 0 });
            var report = await new StartupInstaller(new ProcessCommandRunner()).InstallAsync(initSystem, spec, parse.GetValue(dryRun), ct);
            if (report.DryRun)
            {
                // The definition alone on stdout, so `sup startup --dry-run > sup.service` is the file.
                Console.Write(report.Content);
                Console.Error.WriteLine($"# dry run: nothing was written or run. This would be {report.FilePath}, followed by:");
                foreach (var line in report.Commands) Console.Error.WriteLine($"#   {line}");
                return ExitCodes.Ok;
            }

            Console.WriteLine($"Wrote {report.FilePath}");
            foreach (var line in report.Commands) Console.WriteLine($"Ran   {line}");
            if (report.Failure is not null) return Failed(report);
            Console.WriteLine($"The sup daemon will start at {(initSystem == InitSystem.Launchd && spec.Scope == StartupScope.User ? "login" : "boot")} and resurrect the apps saved in {Path.Combine(spec.SupHome, "dump.yaml")}.");
            PrintNextSteps(report);
            return ExitCodes.Ok;
        });
        return command;
    }

    public static Command Unstartup()
    {
        var (init, user, system) = Arguments();
        var dryRun = new Option<bool>("--dry-run") { Description = "Print what would be removed and run; change nothing." };
        var command = new Command("unstartup", "Remove what `sup startup` registered; the running daemon is left alone.") { init, user, system, dryRun };
        command.SetAction(async (parse, ct) =>
        {
            var initSystem = InitSystemOf(parse.GetValue(init));
            var supCommand = SupCommand();
            var spec = StartupSpec.ForCurrentUser(ScopeOf(parse, user, system), supCommand, StopBudget.Floor);
            // Without --user/--system, remove whichever exists (the default scope's entry first).
            var other = spec with { Scope = spec.Scope == StartupScope.User ? StartupScope.System : StartupScope.User };
            if (!parse.GetValue(user) && !parse.GetValue(system) && !File.Exists(StartupInstaller.Definition(initSystem, spec).Path)
                && File.Exists(StartupInstaller.Definition(initSystem, other).Path))
                spec = other;

            var report = await new StartupInstaller(new ProcessCommandRunner()).UninstallAsync(initSystem, spec, parse.GetValue(dryRun), ct);
            var verb = report.DryRun ? "Would run" : "Ran  ";
            foreach (var line in report.Commands) Console.WriteLine($"{verb} {line}");
            foreach (var note in report.Notes) Console.WriteLine($"Note  {note}");
            if (report.Failure is not null) return Failed(report);
            if (report.FileChanged) Console.WriteLine("The sup daemon will no longer start at boot; the one running now keeps running.");
            PrintNextSteps(report);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static (Argument<string?> Init, Option<bool> User, Option<bool> System) Arguments() =>
    (
        new Argument<string?>("init-system") { Arity = ArgumentArity.ZeroOrOne, Description = "systemd, launchd or windows (detected when left out)." },
        new Option<bool>("--user") { Description = "The user's own service manager (the default, except for root)." },
        new Option<bool>("--system") { Description = "The machine's service manager, running the daemon as you (needs root; the default for root)." }
    );

    private static InitSystem InitSystemOf(string? name) =>
        name is null ? InitSystemDetector.Detect(HostFacts.Current()) : InitSystemDetector.Parse(name);

    private static StartupScope ScopeOf(ParseResult parse, Option<bool> user, Option<bool> system)
    {
        if (parse.GetValue(user) && parse.GetValue(system))
            throw new SupException(SupError.BadArgument, "Give --user or --system, not both.");
        if (parse.GetValue(system)) return StartupScope.System;
        if (parse.GetValue(user)) return StartupScope.User;
        // As PM2: root installs a system unit (under sudo, for the user who ran sudo: StartupSpec).
        return StartupTarget.DefaultScope(OperatingSystem.IsWindows() ? null : Supervisor.Core.Platform.ProcessControl.Current.CurrentUid);
    }

    private static IReadOnlyList<string> SupCommand()
    {
        var (file, args) = DaemonLauncher.SelfCommand();
        return [Path.GetFullPath(file), .. args.Select(Path.GetFullPath)];
    }

    /// <summary>The longest kill_timeout among the running apps (if the daemon runs) and the saved ones.</summary>
    private static async Task<TimeSpan> StopTimeoutAsync(CancellationToken ct)
    {
        var timeouts = new List<TimeSpan>();
        try
        {
            var reply = await DaemonCall.InvokeAsync(d => d.MaxKillTimeoutAsync(ct), ct, startIfNeeded: false);
            timeouts.Add(TimeSpan.FromMilliseconds(reply.MaxKillTimeoutMs));
        }
        catch (Exception ex) when (ex is SupException or RpcException)
        {
            // Not running (or too old to say): the saved set is what boot starts anyway.
        }

        try
        {
            timeouts.AddRange(DumpFile.Read(SupPaths.FromEnvironment().DumpFile, new LoadOptions()).Apps.Select(a => a.KillTimeout));
        }
        catch (SupException)
        {
        }

        return StopBudget.For(timeouts);
    }

    private static int Failed(StartupReport report)
    {
        Console.Error.WriteLine(Terminal.Error(report.Failure!));
        var details = (report.FailureOutput ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var line in details.Skip(1).Take(5)) Console.Error.WriteLine("  " + line);
        if (report.FileChanged && report.Content.Length > 0)
            Console.Error.WriteLine($"  {report.FilePath} was written; `sup unstartup` removes it.");
        return ExitCodes.Failed;
    }

    private static void PrintNextSteps(StartupReport report)
    {
        if (report.NextSteps.Count == 0) return;
        if (report.FileChanged || report.DryRun) Console.WriteLine("Still to do:");
        foreach (var step in report.NextSteps) Console.WriteLine(report.FileChanged || report.DryRun ? "  " + step : step);
    }
}
