using System.CommandLine;

namespace Supervisor.Cli.Commands;

/// <summary>`sup flush [NAME]`: empty log files, safely while apps keep writing.</summary>
public static class FlushCommand
{
    public static Command Create()
    {
        var name = new Argument<string?>("name") { Description = "App name (default: all).", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("flush", "Empty the log files of an app (or all).") { name };
        command.SetAction(async (parse, ct) =>
        {
            var n = parse.GetValue(name);
            var reply = await DaemonCall.InvokeAsync(d => d.FlushAsync(n is null or "all" ? null : n, ct), ct);
            foreach (var app in reply) Console.WriteLine($"flushed  {app}");
            return ExitCodes.Ok;
        });
        return command;
    }
}
