using System.Globalization;
using System.Text.Json;
using CliWrap;
using CliWrap.Buffered;
using Supervisor.Core.Config;

namespace Supervisor.Core.Notifications;

/// <summary>
/// `exec: "CMD"`: runs the command with `sh -c` (CliWrap), the event in SUP_EVENT, SUP_APP,
/// SUP_EXIT_CODE, SUP_REASON, SUP_LOG_TAIL (and SUP_TEXT, SUP_SUPPRESSED) and as JSON on stdin.
/// Past the target's timeout it is killed. A non-zero exit is a failure whose output is logged.
/// </summary>
public sealed class ExecNotifier(TimeProvider time) : INotifier
{
    private const int OutputInLog = 500;

    public NotifyKind Kind => NotifyKind.Exec;

    public async Task DeliverAsync(Notification notification, NotifyTarget target, NotifyContext context, CancellationToken cancellationToken)
    {
        var e = notification.Event;
        var json = JsonSerializer.Serialize(NotificationPayload.From(notification), NotificationJson.Default.NotificationPayload);
        using var timeout = new CancellationTokenSource(target.Timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        var (shell, flag) = OperatingSystem.IsWindows() ? ("cmd.exe", "/c") : ("/bin/sh", "-c");
        BufferedCommandResult result;
        try
        {
            result = await Platform.RuntimeChildren.RunAsync(() => Cli.Wrap(shell)
                .WithArguments([flag, target.Exec!])
                .WithWorkingDirectory(Directory.Exists(context.WorkingDirectory) ? context.WorkingDirectory : Path.GetTempPath())
                .WithEnvironmentVariables(new Dictionary<string, string?>
                {
                    ["SUP_EVENT"] = Events.EventKinds.ToWire(e.Kind),
                    ["SUP_APP"] = e.App ?? "",
                    ["SUP_EXIT_CODE"] = e.ExitCode?.ToString(CultureInfo.InvariantCulture) ?? "",
                    ["SUP_SIGNAL"] = e.Signal ?? "",
                    ["SUP_REASON"] = e.Reason,
                    ["SUP_TEXT"] = notification.Text,
                    ["SUP_SUPPRESSED"] = notification.Suppressed.ToString(CultureInfo.InvariantCulture),
                    ["SUP_LOG_TAIL"] = notification.LogTail,
                })
                .WithStandardInputPipe(PipeSource.FromString(json))
                .WithValidation(CommandResultValidation.None)
                .ExecuteBufferedAsync(linked.Token));
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"did not finish within {Duration.Format(target.Timeout)} and was killed");
        }

        if (result.ExitCode != 0)
        {
            var output = (result.StandardError.Trim() + " " + result.StandardOutput.Trim()).Trim();
            if (output.Length > OutputInLog) output = output[..OutputInLog] + "...";
            throw new NotifyFailedException($"exited with code {result.ExitCode}" + (output.Length > 0 ? $": {output}" : ""));
        }
    }
}

/// <summary>A delivery failed in a way worth one line in daemon.log.</summary>
public sealed class NotifyFailedException(string message) : Exception(message);
