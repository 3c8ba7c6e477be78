using System.ComponentModel;
using System.Diagnostics;

namespace Supervisor.Core.Startup;

/// <summary>Runs a command to completion and captures its output.</summary>
public sealed class ProcessCommandRunner : ICommandRunner
{
    public async Task<CommandResult> RunAsync(StartupCommand command, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(command.FileName)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        foreach (var argument in command.Arguments) info.ArgumentList.Add(argument);

        Process process;
        try
        {
            process = Process.Start(info) ?? throw new Win32Exception($"{command.FileName} did not start");
        }
        catch (Win32Exception ex)
        {
            return new CommandResult(127, "", $"{command.FileName} could not be run: {ex.Message}");
        }

        using (process)
        {
            process.StandardInput.Close();
            var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var error = process.StandardError.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken);
            return new CommandResult(process.ExitCode, await output, await error);
        }
    }
}
