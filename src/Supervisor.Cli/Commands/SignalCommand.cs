using System.CommandLine;

namespace Supervisor.Cli.Commands;

/// <summary>`sup signal SIGUSR1 NAME`.</summary>
public static class SignalCommand
{
    public static Command Create()
    {
        var signal = new Argument<string>("signal") { Description = "Signal name or number (SIGUSR1, HUP, 10)." };
        var name = ControlCommands.NameArgument();
        var command = new Command("signal", "Send a signal to an app's process.") { signal, name };
        command.Aliases.Add("sendSignal");
        command.SetAction(async (parse, ct) =>
        {
            var reply = await DaemonCall.InvokeAsync(d => d.SignalAsync(parse.GetValue(signal)!, parse.GetValue(name)!, ct), ct);
            foreach (var app in reply) Console.WriteLine($"sent {parse.GetValue(signal)} to {app}");
            return ExitCodes.Ok;
        });
        return command;
    }
}
