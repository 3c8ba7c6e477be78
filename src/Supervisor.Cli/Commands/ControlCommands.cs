using System.CommandLine;
using System.Text.Json.Nodes;
using Supervisor.Cli.Output;

namespace Supervisor.Cli.Commands;

/// <summary>`sup stop|restart|delete NAME|all`, as in PM2.</summary>
public static class ControlCommands
{
    public static Command Stop() => Create("stop", "Stop an app (or all): stop_signal to its whole tree, SIGKILL after kill_timeout.", "stop");
    public static Command Restart() => Create("restart", "Restart an app (or all) with a fresh crash count.", "restart");

    public static Command Delete()
    {
        var name = NameArgument();
        var command = new Command("delete", "Stop an app (or all) and forget it.") { name };
        command.Aliases.Add("del");
        command.SetAction(async (parse, ct) =>
        {
            var result = await DaemonCall.InvokeAsync("delete", new JsonObject { ["name"] = parse.GetValue(name) }, ct);
            foreach (var deleted in Json.Names(result)) Console.WriteLine($"deleted  {deleted}");
            return ExitCodes.Ok;
        });
        return command;
    }

    internal static Argument<string> NameArgument() => new("name") { Description = "App name, or `all`." };

    private static Command Create(string verb, string description, string method)
    {
        var name = NameArgument();
        var command = new Command(verb, description) { name };
        command.SetAction(async (parse, ct) =>
        {
            var result = await DaemonCall.InvokeAsync(method, new JsonObject { ["name"] = parse.GetValue(name) }, ct);
            Console.Write(AppTable.Render(Json.Apps(result)));
            return ExitCodes.Ok;
        });
        return command;
    }
}
