using System.CommandLine;

namespace Supervisor.Cli.Commands;

/// <summary>`sup reset NAME|all`: zero restart and fast-crash counters (PM2's reset); a job also runs at its next check.</summary>
public static class ResetCommand
{
    public static Command Create()
    {
        var name = new Argument<string>("name") { Description = "App name, or `all`." };
        var command = new Command("reset", "Zero an app's restart and fast-crash counters; a job's failure count too, and it runs at its next check.") { name };
        command.SetAction(async (parse, ct) =>
        {
            var target = parse.GetValue(name)!;
            var reset = await DaemonCall.InvokeAsync(d => d.ResetAsync(target, ct), ct);
            foreach (var app in reset) Console.WriteLine($"reset    {app}");
            return ExitCodes.Ok;
        });
        return command;
    }
}
