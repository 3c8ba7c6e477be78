namespace Supervisor.Core.Protocol;

/// <summary>
/// One row of `sup ls --json` and of the `list` RPC method. A documented contract
/// (docs/rpc.md): fields may be added, never renamed or removed.
/// </summary>
public sealed record AppInfo
{
    public required string Name { get; init; }
    /// <summary>"service" or "job".</summary>
    public required string Kind { get; init; }
    public required string Status { get; init; }
    public int? Pid { get; init; }
    public long? UptimeMs { get; init; }
    public int Restarts { get; init; }
    /// <summary>Percent of one core, summed over the process tree; null before the first sample.</summary>
    public double? Cpu { get; init; }
    /// <summary>RSS bytes of the whole process tree; null before the first sample.</summary>
    public long? Memory { get; init; }
    /// <summary>ISO 8601 with offset, jobs only.</summary>
    public string? NextRun { get; init; }
    public string? Reason { get; init; }
    /// <summary>Milliseconds left in a restart backoff (status waiting).</summary>
    public long? WaitingMs { get; init; }
    public int? LastExitCode { get; init; }
    public int FastCrashes { get; init; }
    public string? LastRun { get; init; }
    public string? LastResult { get; init; }
    public bool? Enabled { get; init; }
    /// <summary>Output lines dropped because a log file could not be written (disk full), since the app was added.</summary>
    public long LogLinesDropped { get; init; }
    /// <summary>PM2's numeric id (`sup stop 0`): stable across restarts, daemon restarts and save/resurrect.</summary>
    public int? Id { get; init; }
    /// <summary>"fork", or "cluster" for a worker of a Node cluster (exec_mode: cluster).</summary>
    public string ExecMode { get; init; } = "fork";
}
