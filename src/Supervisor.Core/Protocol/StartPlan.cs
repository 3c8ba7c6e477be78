namespace Supervisor.Core.Protocol;

/// <summary>What `sup start FILE` / `sup reload FILE` did, app by app.</summary>
public sealed record StartPlan
{
    public IReadOnlyList<string> Started { get; init; } = [];
    public IReadOnlyList<ChangedApp> Restarted { get; init; } = [];
    public IReadOnlyList<string> Unchanged { get; init; } = [];
    /// <summary>Loaded before from this file, absent now: left running by start, stopped and deleted by reload.</summary>
    public IReadOnlyList<string> Removed { get; init; } = [];
    public bool RemovedWereDeleted { get; init; }
    public IReadOnlyList<string> Warnings { get; init; } = [];
    public IReadOnlyList<AppInfo> Apps { get; init; } = [];
}

public sealed record ChangedApp(string Name, IReadOnlyList<string> Changes);
