using CliWrap;
using CliWrap.Buffered;
using Supervisor.Core.Config;

namespace Supervisor.Core.Notifications;

/// <summary>
/// `desktop: true`: a desktop notification through `notify-send` (Linux, libnotify) or
/// `osascript` (macOS), where present. Without either, the delivery fails with the reason, which
/// the dispatcher logs.
/// </summary>
public sealed class DesktopNotifier(TimeProvider time) : INotifier
{
    public NotifyKind Kind => NotifyKind.Desktop;

    public async Task DeliverAsync(Notification notification, NotifyTarget target, NotifyContext context, CancellationToken cancellationToken)
    {
        var title = notification.Event.App is { } app ? $"sup: {app}" : "sup";
        var (program, arguments) = Command(title, notification.Text)
            ?? throw new NotifyFailedException(OperatingSystem.IsMacOS()
                ? "osascript was not found, so there is no desktop to notify"
                : "notify-send was not found on PATH (install libnotify-bin), so there is no desktop to notify");
        using var timeout = new CancellationTokenSource(target.Timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        var result = await Platform.RuntimeChildren.RunAsync(() => Cli.Wrap(program).WithArguments(arguments)
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync(linked.Token));
        if (result.ExitCode != 0)
            throw new NotifyFailedException($"{Path.GetFileName(program)} exited with code {result.ExitCode}: {result.StandardError.Trim()}");
    }

    private static (string Program, string[] Arguments)? Command(string title, string text)
    {
        if (OperatingSystem.IsMacOS())
        {
            return File.Exists("/usr/bin/osascript")
                ? ("/usr/bin/osascript", ["-e", $"display notification {AppleString(text)} with title {AppleString(title)}"])
                : null;
        }
        return FindOnPath("notify-send") is { } notifySend ? (notifySend, [title, text]) : null;
    }

    private static string AppleString(string text) => "\"" + text.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";

    private static string? FindOnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(folder => Path.Combine(folder, program))
            .FirstOrDefault(File.Exists);
}
