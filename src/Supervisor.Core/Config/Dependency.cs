namespace Supervisor.Core.Config;

/// <summary>What a dependant waits for before it starts (docker compose's condition).</summary>
public enum DependencyCondition
{
    /// <summary>Spawned: the dependency's process is running.</summary>
    Started,

    /// <summary>Ready: its ready: probe passed (the same as started while it has none).</summary>
    Ready,
}

/// <summary>One entry of depends_on.</summary>
public sealed record Dependency(string Name, DependencyCondition Condition);
