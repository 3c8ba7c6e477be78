using System.ComponentModel;
using System.Globalization;
using CliWrap;
using CliWrap.Buffered;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Supervisor.Core.Startup;

/// <summary>
/// Runs a command to completion through CliWrap and captures its output: stdin empty, stdout and
/// stderr buffered, any exit code returned for the caller to judge, and the process (tree)
/// killed past <paramref name="timeout"/> (30 s by default: a `systemctl` waiting on an
/// unreachable bus must not hang `sup startup`). A failure's whole output goes to
/// <paramref name="logger"/>; the caller shows the user its first lines.
/// </summary>
/// <remarks>
/// For commands sup runs for their result only. Supervised apps and job runs are not started
/// here: they need a new session, a pidfd and a whole-tree stop (docs/supervision.md).
/// </remarks>
public sealed class ProcessCommandRunner(ILogger? logger = null, TimeSpan? timeout = null) : ICommandRunner
{
    /// <summary>The exit code reported for a command that did not finish in time, as timeout(1) does.</summary>
    public const int TimedOut = 124;

    /// <summary>The exit code reported for a program that could not be started, as a shell does.</summary>
    public const int NotFound = 127;

    private readonly ILogger _logger = logger ?? NullLogger.Instance;
    private readonly TimeSpan _timeout = timeout ?? TimeSpan.FromSeconds(30);

    public async Task<CommandResult> RunAsync(StartupCommand command, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_timeout);
        CommandResult result;
        try
        {
            var run = await Cli.Wrap(command.FileName)
                .WithArguments(command.Arguments)
                .WithValidation(CommandResultValidation.None)
                .ExecuteBufferedAsync(deadline.Token);
            result = new CommandResult(run.ExitCode, run.StandardOutput, run.StandardError);
        }
        catch (Win32Exception ex)
        {
            result = new CommandResult(NotFound, "", $"{command.FileName} could not be run: {ex.InnerException?.Message ?? ex.Message}");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            result = new CommandResult(TimedOut, "",
                $"{command.FileName} did not finish within {_timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s and was stopped");
        }

        if (!result.Succeeded)
            _logger.LogWarning("`{Command}` failed with exit code {ExitCode}.\nstdout:\n{Output}\nstderr:\n{Error}",
                command, result.ExitCode, result.Output, result.Error);
        return result;
    }
}
