using System.CommandLine;
using Supervisor.Cli.Output;

namespace Supervisor.Cli.Commands;

/// <summary>`sup ls`: the table, or `--json` for scripts (the documented AppInfo contract).</summary>
public static class ListCommand
{
    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "Print a JSON array (fields documented in docs/rpc.md)." };
        var command = new Command("ls", "List apps with status, pid, uptime, restarts, cpu and memory.") { json };
        command.Aliases.Add("list");
        command.Aliases.Add("status");
        command.SetAction(async (parse, ct) =>
        {
            var result = await DaemonCall.InvokeAsync("list", null, ct);
            if (parse.GetValue(json)) Console.WriteLine(result.GetRawText());
            else Console.Write(AppTable.Render(Json.Apps(result)));
            return ExitCodes.Ok;
        });
        return command;
    }
}
