namespace Supervisor.Core.Supervision;

/// <summary>
/// How a child ended. .NET reports a signal death as 128 + signal (SIGTERM = 143), so the
/// signal is inferred from the code; a child that really exits with 143 looks the same.
/// </summary>
public sealed record ChildExit(int ExitCode, DateTimeOffset At, TimeSpan Uptime)
{
    public int? Signal => ExitCode > 128 && ExitCode < 128 + 65 ? ExitCode - 128 : null;

    public string Describe() => Signal is int s
        ? $"exit code {ExitCode} ({Platform.Signals.Name(s)})"
        : $"exit code {ExitCode}";
}
