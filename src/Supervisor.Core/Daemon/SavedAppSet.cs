using Supervisor.Core.Config;

namespace Supervisor.Core.Daemon;

/// <summary>
/// What dump.yaml holds: the apps (each with the file it came from, null for ad-hoc apps) and the
/// ecosystem files they were loaded from, with their profiles and watch_config.
/// </summary>
public sealed record SavedAppSet(IReadOnlyList<AppSpec> Apps, IReadOnlyList<LoadedFile> Files);
