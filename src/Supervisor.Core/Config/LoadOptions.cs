namespace Supervisor.Core.Config;

/// <summary>How to read an ecosystem file: which env profile, which apps, and whose environment.</summary>
public sealed record LoadOptions
{
    /// <summary>Selects `env_PROFILE` of each app, merged over its `env` (`sup start FILE --env PROFILE`).</summary>
    public string? EnvProfile { get; init; }

    /// <summary>Comma-separated app names to keep (`--only`); null keeps every app.</summary>
    public string? Only { get; init; }

    /// <summary>
    /// The environment apps will be started in (the daemon's). Used to find programs on its PATH
    /// and to expand `~` from its HOME; null = this process's environment.
    /// </summary>
    public IReadOnlyDictionary<string, string>? BaseEnvironment { get; init; }

    /// <summary>The plugins of the whole load (commands: of every file read through include:); set by the reader.</summary>
    internal PluginCatalog Plugins { get; init; } = PluginCatalog.Empty;

    /// <summary>
    /// Set while the apps of an included file are read: the file given to `sup start`, which stays
    /// their <see cref="AppSpec.SourceFile"/> (the daemon reloads and prunes apps by that file).
    /// </summary>
    internal string? LoadedFrom { get; init; }
    /// <summary>
    /// The daemon's SUP_HOME, where default log files are. Needed only for instances that share
    /// their logs (merge_logs); null (a dry run) leaves each instance its own default files.
    /// </summary>
    public string? SupHome { get; init; }
}
