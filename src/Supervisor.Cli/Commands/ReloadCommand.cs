using System.CommandLine;

namespace Supervisor.Cli.Commands;

/// <summary>`sup reload FILE`: apply a file's changes; apps gone from the file are stopped and deleted.</summary>
public static class ReloadCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("file") { Description = "The ecosystem file, or an app (name, id or all) to reload." };
        var env = new Option<string>("--env") { Description = "Select env_PROFILE blocks." };
        var command = new Command("reload", "Apply an ecosystem file's changes without touching unchanged apps; or reload an app (a cluster worker by worker, others restart).") { file, env };
        command.SetAction(async (parse, ct) =>
        {
            // PM2's `reload NAME|ID|all`: not an ecosystem file, so an app (a cluster reloads worker by worker).
            if (!StartCommand.IsEcosystemFile(parse.GetValue(file)!))
            {
                var apps = await DaemonCall.InvokeAsync(d => d.ReloadAppAsync(parse.GetValue(file)!, ct), ct);
                Console.Write(Output.AppTable.Render(apps));
                return ExitCodes.Ok;
            }

            var path = Path.GetFullPath(parse.GetValue(file)!);
            var reply = await DaemonCall.InvokeAsync(d => d.ReloadAsync(path, parse.GetValue(env), null, ct), ct);
            PlanPrinter.Print(reply, reload: true);
            return ExitCodes.Ok;
        });
        return command;
    }
}
