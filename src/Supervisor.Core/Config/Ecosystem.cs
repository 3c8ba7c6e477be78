namespace Supervisor.Core.Config;

/// <summary>A loaded, valid ecosystem file: its apps (instances expanded) and what deserved a warning.</summary>
public sealed record Ecosystem(
    string SourceFile,
    IReadOnlyList<AppSpec> Apps,
    IReadOnlyList<ConfigProblem> Warnings,
    bool WatchConfig)
{
    /// <summary>The files read through include: (absolute), in the order read; watch_config watches them too.</summary>
    public IReadOnlyList<string> Included { get; init; } = [];

    /// <summary>The include: globs it follows: watch_config reloads when a new file matches one.</summary>
    public IReadOnlyList<IncludeGlob> IncludeGlobs { get; init; } = [];
}
