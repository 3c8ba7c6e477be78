using System.CommandLine;
using System.Text.Json.Nodes;
using Supervisor.Cli.Output;

namespace Supervisor.Cli.Commands;

/// <summary>`sup describe NAME`: config, paths, env (secrets masked), recent state changes.</summary>
public static class DescribeCommand
{
    public static Command Create()
    {
        var name = new Argument<string>("name") { Description = "App name." };
        var secrets = new Option<bool>("--show-secrets") { Description = "Show values of env keys that look secret." };
        var json = new Option<bool>("--json") { Description = "Print JSON." };
        var command = new Command("describe", "Show everything known about one app.") { name, secrets, json };
        command.Aliases.Add("show");
        command.SetAction(async (parse, ct) =>
        {
            var reply = await DaemonCall.InvokeAsync("describe",
                new JsonObject { ["name"] = parse.GetValue(name), ["show_secrets"] = parse.GetValue(secrets) }, ct);
            if (parse.GetValue(json)) { Console.WriteLine(reply.GetRawText()); return ExitCodes.Ok; }
            var d = Json.Detail(reply);
            var a = d.App;
            Console.WriteLine($"{a.Name} ({a.Kind}) {a.Status}{(a.Reason is null ? "" : " - " + a.Reason)}");
            Row("pid", a.Pid?.ToString() ?? "-");
            Row("uptime", a.UptimeMs is long up ? Human.Duration(TimeSpan.FromMilliseconds(up)) : "-");
            Row("restarts", a.Restarts.ToString());
            Row("command", d.Command);
            Row("cwd", d.Cwd);
            Row("source", d.SourceFile ?? "(command line)");
            Row("out log", d.OutLog);
            Row("err log", d.ErrLog);
            Row("pid file", d.PidFile);
            Console.WriteLine("config:");
            foreach (var (k, v) in d.Config.OrderBy(kv => kv.Key, StringComparer.Ordinal)) Row("  " + k, v);
            if (d.Env.Count > 0)
            {
                Console.WriteLine("env:");
                foreach (var (k, v) in d.Env.OrderBy(kv => kv.Key, StringComparer.Ordinal)) Row("  " + k, v);
            }
            if (d.NextRuns.Count > 0)
            {
                Console.WriteLine("next runs:");
                foreach (var next in d.NextRuns) Console.WriteLine("  " + next);
            }
            if (d.History.Count > 0)
            {
                Console.WriteLine("history:");
                foreach (var h in d.History) Console.WriteLine($"  {h.At}  {h.From} -> {h.To}  {h.Reason}");
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    private static void Row(string key, string value) => Console.WriteLine($"{key,-28} {value}");
}
