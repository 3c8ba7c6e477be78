using System.CommandLine;
using Supervisor.Cli.Output;
using Supervisor.Core.Protocol;

namespace Supervisor.Cli.Commands;

/// <summary>
/// `sup ls [PATTERN] [--sort KEY]`: the table, or `--json` for scripts (the documented AppInfo
/// contract). The JSON path stays light: no Spectre, no YAML.
/// </summary>
public static class ListCommand
{
    public static Command Create()
    {
        var pattern = new Argument<string?>("pattern") { Description = "Only apps whose name matches this glob, e.g. 'gmail*'.", Arity = ArgumentArity.ZeroOrOne };
        var sort = new Option<string?>("--sort") { Description = "Order by name, or by cpu, memory, uptime or restarts (largest first)." };
        sort.AcceptOnlyFromAmong(AppSelection.SortKeys);
        var json = new Option<bool>("--json") { Description = "Print a JSON array (fields documented in docs/rpc.md)." };
        var command = new Command("ls", "List apps with status, pid, uptime, restarts, cpu and memory.") { pattern, sort, json };
        command.Aliases.Add("list");
        command.Aliases.Add("status");
        command.SetAction(async (parse, ct) =>
        {
            var result = await DaemonCall.InvokeAsync(d => d.ListAsync(ct), ct);
            var glob = parse.GetValue(pattern);
            var apps = AppSelection.Apply(result, glob, parse.GetValue(sort));
            if (parse.GetValue(json)) Json.Print(apps, Json.Contract.AppInfoArray);
            else if (apps.Length == 0 && glob is not null) Stdout.Write($"No app matches '{glob}'. `sup ls` lists them all.\n");
            else Stdout.Write(AppTable.Render(apps));
            return ExitCodes.Ok;
        });
        return command;
    }
}
