using System.CommandLine;
using System.Text.Json;
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
            var result = await DaemonCall.InvokeAsync("list", null, ct);
            var glob = parse.GetValue(pattern);
            var order = parse.GetValue(sort);
            if (parse.GetValue(json) && glob is null && order is null)
            {
                Console.WriteLine(result.GetRawText());
                return ExitCodes.Ok;
            }

            var apps = AppSelection.Apply(Json.Apps(result), glob, order);
            if (parse.GetValue(json)) Console.WriteLine(RawRows(result, apps));
            else if (apps.Length == 0 && glob is not null) Console.WriteLine($"No app matches '{glob}'. `sup ls` lists them all.");
            else Console.Write(AppTable.Render(apps));
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>The daemon's own JSON objects for the selected apps, in their new order (names are unique).</summary>
    private static string RawRows(JsonElement list, IEnumerable<AppInfo> selected)
    {
        var byName = list.EnumerateArray().ToDictionary(e => e.GetProperty("name").GetString()!, e => e.GetRawText(), StringComparer.Ordinal);
        return "[" + string.Join(",", selected.Select(a => byName[a.Name])) + "]";
    }
}
