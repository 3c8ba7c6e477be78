using System.CommandLine;
using Supervisor.Cli.Output;
using Supervisor.Core.Protocol;

namespace Supervisor.Cli.Commands;

/// <summary>`sup start FILE` (apply an ecosystem file) or `sup start SCRIPT --name NAME -- ARGS` (one ad-hoc app).</summary>
public static class StartCommand
{
    public static Command Create()
    {
        var target = new Argument<string>("file-or-script") { Description = "An ecosystem file (.yaml, .yml, .json, .config.js) or a script/program to run as one app." };
        var args = new Argument<string[]>("args") { Description = "Arguments for an ad-hoc script (after --).", Arity = ArgumentArity.ZeroOrMore };
        var name = new Option<string>("--name", "-n") { Description = "Name of an ad-hoc app." };
        var only = new Option<string>("--only") { Description = "Start only these apps of the file (comma-separated)." };
        var env = new Option<string>("--env") { Description = "Select env_PROFILE blocks of the file." };
        var json = new Option<bool>("--json") { Description = "Print the result as JSON." };
        var dryRun = new Option<bool>("--dry-run") { Description = "Load the file and print what would start, with every warning; start nothing (no daemon needed)." };
        var noWait = new Option<bool>("--no-wait") { Description = "Return once the apps are started, without waiting for their ready: checks." };

        var command = new Command("start", "Start the apps of an ecosystem file, or one script as an app.") { target, args, name, only, env, json, dryRun, noWait };
        var flags = new StartFlags();
        foreach (var flag in flags.All) command.Add(flag);
        command.SetAction(async (parse, ct) =>
        {
            if (StartFlags.UnknownFlag(parse, args) is { } unknown)
            {
                Console.Error.WriteLine(Terminal.Error(unknown));
                return ExitCodes.Usage;
            }

            var path = parse.GetValue(target)!;
            var adHoc = parse.GetValue(name) is not null || !IsEcosystemFile(path);
            if (adHoc)
            {
                // PM2's `start NAME` of a loaded app (stopped, autostart: false): Pm2FileVerbs.
                if (parse.GetValue(name) is null && !flags.AnyGiven(parse)
                    && await Pm2FileVerbs.TryStartByNameAsync(path, parse.GetValue(json), ct) is { } started) return started;
                // PM2's flags, or a command line for a script: read as one app of a file would be.
                var result = flags.AnyGiven(parse) || StartFlags.IsCommandLine(path)
                    ? await DaemonCall.InvokeAsync(
                        d => d.StartEntryAsync(flags.ToAppJson(parse, path, parse.GetValue(name), parse.GetValue(args) ?? [], Environment.CurrentDirectory), ct), ct)
                    : await DaemonCall.InvokeAsync(
                        d => d.StartScriptAsync(path, parse.GetValue(name), parse.GetValue(args) ?? [], Environment.CurrentDirectory, ct), ct);
                if (parse.GetValue(json)) Json.Print(result, Json.Contract.AppInfoArray);
                else Console.Write(AppTable.Render(result));
                return ExitCodes.Ok;
            }

            var file = Path.GetFullPath(path);
            if (flags.AnyGiven(parse))
            {
                Console.Error.WriteLine(Terminal.Error($"PM2's flags such as --watch or -i apply to sup start SCRIPT; for {Path.GetFileName(file)}, write them as keys in the file (watch: true, instances: 2). See `sup start --help`."));
                return ExitCodes.Usage;
            }

            if (parse.GetValue(dryRun))
            {
                return DryRun.Print(file, parse.GetValue(env), parse.GetValue(only));
            }

            var reply = await DaemonCall.InvokeAsync(d => d.StartAsync(file, parse.GetValue(env), parse.GetValue(only), ct), ct);
            IReadOnlyList<AppInfo> failed = [];
            if (!parse.GetValue(noWait)) (reply, failed) = await StartWait.WaitAsync(reply, ct);
            if (parse.GetValue(json)) Json.Print(reply, Json.Contract.StartPlan);
            else PlanPrinter.Print(reply, reload: false);
            StartWait.PrintFailed(failed);
            return failed.Count == 0 ? ExitCodes.Ok : ExitCodes.Failed;
        });
        return command;
    }

    /// <summary>
    /// PM2's rule (Common.isConfigFile): YAML, JSON, or a `*.config.js|cjs|mjs`; any other script,
    /// `app.js` included, is one app to run.
    /// </summary>
    internal static bool IsEcosystemFile(string path)
    {
        var name = Path.GetFileName(path).ToLowerInvariant();
        return Path.GetExtension(name) is ".yaml" or ".yml" or ".json"
            || name.EndsWith(".config.js", StringComparison.Ordinal)
            || name.EndsWith(".config.cjs", StringComparison.Ordinal)
            || name.EndsWith(".config.mjs", StringComparison.Ordinal);
    }
}

/// <summary>
/// `sup start FILE --dry-run`: the file loaded here, as the daemon would load it (this shell's
/// environment standing in for the daemon's), and what it would start; nothing starts.
/// </summary>
internal static class DryRun
{
    public static int Print(string file, string? envProfile, string? only)
    {
        var ecosystem = Supervisor.Core.Config.EcosystemLoader.Load(file, new Supervisor.Core.Config.LoadOptions { EnvProfile = envProfile, Only = only });
        foreach (var warning in ecosystem.Warnings) Console.Error.WriteLine(Terminal.Yellow(WarningText.Line(warning.ToString())));
        foreach (var included in ecosystem.Included) Console.WriteLine($"included     {included}");
        var width = ecosystem.Apps.Select(a => a.Name.Length).DefaultIfEmpty(0).Max();
        foreach (var app in ecosystem.Apps)
        {
            var kind = app.Kind == Supervisor.Core.Config.AppKind.Job ? "job    " : "service";
            Console.WriteLine($"would start  {app.Name.PadRight(width)}  {kind}  {string.Join(" ", app.Arguments.Prepend(app.FileName))}");
        }

        var apps = ecosystem.Apps.Count == 1 ? "1 app" : $"{ecosystem.Apps.Count} apps";
        var warnings = ecosystem.Warnings.Count == 1 ? "1 warning" : $"{ecosystem.Warnings.Count} warnings";
        Console.WriteLine($"{apps}, {warnings}; nothing was started (--dry-run).");
        return ExitCodes.Ok;
    }
}

/// <summary>Prints what a start/reload did: started, restarted with the changed keys, unchanged, removed.</summary>
internal static class PlanPrinter
{
    public static void Print(StartPlan plan, bool reload)
    {
        foreach (var warning in plan.Warnings) Console.Error.WriteLine(Terminal.Yellow(WarningText.Line(warning)));
        if (plan.Warnings.Count > 0) Console.Error.WriteLine(Terminal.Yellow(plan.Warnings.Count == 1 ? "1 warning" : $"{plan.Warnings.Count} warnings"));
        foreach (var name in plan.Started) Console.WriteLine($"{Terminal.Green("started")}    {name}");
        foreach (var app in plan.Restarted) Console.WriteLine($"{Terminal.Yellow("restarted")}  {app.Name} ({string.Join(", ", app.Changes)} changed)");
        foreach (var name in plan.Unchanged) Console.WriteLine($"{Terminal.Dim("unchanged")}  {name}");
        foreach (var name in plan.Removed)
            Console.WriteLine(plan.RemovedWereDeleted
                ? $"{Terminal.Red("removed")}    {name} (stopped and deleted: no longer in the file)"
                : $"{Terminal.Dim("not in file")} {name} (left running; `sup delete {name}` removes it)");
        Console.WriteLine();
        Console.Write(AppTable.Render(plan.Apps));
    }
}
