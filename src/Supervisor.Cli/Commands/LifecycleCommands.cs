using System.CommandLine;
using System.Text.Json;
using Supervisor.Cli.Output;
using Supervisor.Core.Protocol;

namespace Supervisor.Cli.Commands;

/// <summary>`sup save` and `sup resurrect`: write the running app set to dump.yaml, and start it again.</summary>
public static class LifecycleCommands
{
    public static Command Save()
    {
        var force = new Option<bool>("--force") { Description = "Save even when no app is running (an empty set)." };
        var json = new Option<bool>("--json") { Description = "Print the result as JSON." };
        var command = new Command("save", "Write every app (config and env) to $SUP_HOME/dump.yaml, for `sup resurrect` and boot.") { force, json };
        command.SetAction(async (parse, ct) =>
        {
            var result = await DaemonCall.InvokeAsync(d => d.SaveAsync(parse.GetValue(force), ct), ct);
            if (parse.GetValue(json))
            {
                Json.Print(result, Json.Contract.SaveResult);
                return ExitCodes.Ok;
            }

            Console.WriteLine($"Saved {result.Apps.Count} app(s) to {result.File}: {string.Join(", ", result.Apps)}");
            if (result.Backup is not null) Console.WriteLine($"The previous save is kept in {result.Backup}.");
            return ExitCodes.Ok;
        });
        return command;
    }

    public static Command Resurrect()
    {
        var json = new Option<bool>("--json") { Description = "Print the result as JSON." };
        var command = new Command("resurrect", "Start the app set `sup save` wrote; apps already running are left alone, apps you stopped stay stopped.") { json };
        command.SetAction(async (parse, ct) =>
        {
            var result = await DaemonCall.InvokeAsync(d => d.ResurrectAsync(ct), ct);
            if (parse.GetValue(json))
            {
                Json.Print(result, Json.Contract.ResurrectResult);
                return ExitCodes.Ok;
            }

            foreach (var warning in result.Warnings) Console.Error.WriteLine(Terminal.Yellow(Output.WarningText.Line(warning)));
            foreach (var name in result.Started) Console.WriteLine($"{Terminal.Green("started")}    {name}");
            foreach (var name in result.Stopped) Console.WriteLine($"{Terminal.Dim("stopped")}    {name} (stopped before the save or since; `sup restart {name}` starts it)");
            foreach (var name in result.AlreadyPresent) Console.WriteLine($"{Terminal.Dim("present")}    {name} (already known to the daemon; left as it is)");
            Console.WriteLine();
            Console.Write(AppTable.Render(result.Apps));
            return ExitCodes.Ok;
        });
        return command;
    }
}
