using Supervisor.Core.Config;

namespace Supervisor.Core.Supervision;

/// <summary>A consistent, immutable view of one app for `sup ls` and `sup describe`.</summary>
public sealed record AppSnapshot
{
    public required string Name { get; init; }
    public required AppKind Kind { get; init; }
    public required AppStatus Status { get; init; }
    public int? Pid { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public int Restarts { get; init; }
    public int FastCrashes { get; init; }
    /// <summary>Why the app is in its status (the last transition's reason).</summary>
    public string? Reason { get; init; }
    /// <summary>When a backoff ends (status waiting).</summary>
    public DateTimeOffset? WaitingUntil { get; init; }
    public ChildExit? LastExit { get; init; }
    public DateTimeOffset? NextRun { get; init; }
    public IReadOnlyList<StateChange> History { get; init; } = [];
    /// <summary>(services with health:) why the last health verdict failed, until a check passes again.</summary>
    public string? Unhealthy { get; init; }

    // Jobs only.
    public DateTimeOffset? LastRunAt { get; init; }
    /// <summary>"ok", "failed (exit 1)", "running" ...</summary>
    public string? LastResult { get; init; }
    public bool? Enabled { get; init; }
    public int RunCount { get; init; }
}
