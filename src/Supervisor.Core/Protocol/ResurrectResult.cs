namespace Supervisor.Core.Protocol;

/// <summary>What `sup resurrect` did with each app of the saved set.</summary>
public sealed record ResurrectResult
{
    public string File { get; init; } = "";
    public IReadOnlyList<string> Started { get; init; } = [];
    /// <summary>Registered but not started: the user had stopped them (or they say autostart: false).</summary>
    public IReadOnlyList<string> Stopped { get; init; } = [];
    /// <summary>Already known to the daemon: left exactly as they are.</summary>
    public IReadOnlyList<string> AlreadyPresent { get; init; } = [];
    public IReadOnlyList<string> Warnings { get; init; } = [];
    public IReadOnlyList<AppInfo> Apps { get; init; } = [];
}
