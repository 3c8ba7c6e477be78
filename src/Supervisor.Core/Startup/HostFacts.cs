namespace Supervisor.Core.Startup;

/// <summary>What <see cref="InitSystemDetector"/> looks at, gathered once so the rule is testable.</summary>
public sealed record HostFacts(bool IsLinux, bool IsMacOS, bool IsWindows, bool SystemdIsRunning, bool SystemctlOnPath)
{
    public static HostFacts Current() => new(
        OperatingSystem.IsLinux(),
        OperatingSystem.IsMacOS(),
        OperatingSystem.IsWindows(),
        // sd_booted(3): this directory exists exactly when systemd is the running init.
        Directory.Exists("/run/systemd/system"),
        OnPath("systemctl", Environment.GetEnvironmentVariable("PATH")));

    public static bool OnPath(string program, string? path) =>
        (path ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Any(folder => File.Exists(Path.Combine(folder, program)));
}
