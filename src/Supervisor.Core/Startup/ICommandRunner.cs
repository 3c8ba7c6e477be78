namespace Supervisor.Core.Startup;

/// <summary>Runs systemctl, launchctl, schtasks; tests record the calls instead.</summary>
public interface ICommandRunner
{
    Task<CommandResult> RunAsync(StartupCommand command, CancellationToken cancellationToken);
}
