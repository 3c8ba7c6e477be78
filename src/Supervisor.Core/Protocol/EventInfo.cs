namespace Supervisor.Core.Protocol;

/// <summary>The params of each `events.event` notification pushed by `events.subscribe` (docs/rpc.md).</summary>
public sealed record EventInfo
{
    public required long Sequence { get; init; }
    /// <summary>ISO 8601 with offset.</summary>
    public required string At { get; init; }
    /// <summary>started, exited, crashed, restarting, errored, memory_restart, recovered, succeeded, failed, skipped, stopping, ready, unhealthy.</summary>
    public required string Kind { get; init; }
    /// <summary>service, job or daemon.</summary>
    public required string Source { get; init; }
    /// <summary>Null for the daemon's own events.</summary>
    public string? App { get; init; }
    public required string Reason { get; init; }
    public int? ExitCode { get; init; }
    public string? Signal { get; init; }
    /// <summary>The job run's SUP_RUN_ID (job events of a run), else null.</summary>
    public string? RunId { get; init; }
}
