namespace Supervisor.Core.Startup;

/// <summary>Which init system `sup startup` uses when none is named.</summary>
public static class InitSystemDetector
{
    /// <summary>
    /// systemd on Linux when it runs (or at least systemctl is installed: a container or WSL
    /// without systemd running still gets a unit, and the failing systemctl says why);
    /// launchd on macOS; Task Scheduler on Windows.
    /// </summary>
    /// <exception cref="SupException">NotSupported: nothing we know how to register with.</exception>
    public static InitSystem Detect(HostFacts host)
    {
        if (host.IsWindows) return InitSystem.Windows;
        if (host.IsMacOS) return InitSystem.Launchd;
        if (host.IsLinux && (host.SystemdIsRunning || host.SystemctlOnPath)) return InitSystem.Systemd;
        throw new SupException(SupError.NotSupported,
            "No supported init system found (systemd, launchd, Windows Task Scheduler); name one, e.g. `sup startup systemd --dry-run`, and adapt what it prints.");
    }

    public static InitSystem Parse(string name) => name.ToLowerInvariant() switch
    {
        "systemd" => InitSystem.Systemd,
        "launchd" or "macos" or "darwin" => InitSystem.Launchd,
        "windows" or "schtasks" or "taskscheduler" => InitSystem.Windows,
        _ => throw new SupException(SupError.BadArgument, $"Unknown init system '{name}'; use systemd, launchd or windows."),
    };
}
