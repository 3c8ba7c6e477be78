namespace Supervisor.Core.Daemon;

/// <summary>
/// An ecosystem file the daemon loaded and how: its env profile and --only selection (so a
/// watch_config reload, and a resurrect after a reboot, read it the same way) and whether it
/// asked to be watched.
/// </summary>
public sealed record LoadedFile(string Path, string? EnvProfile, string? Only, bool Watch);
