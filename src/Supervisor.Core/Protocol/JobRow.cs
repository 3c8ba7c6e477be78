namespace Supervisor.Core.Protocol;

/// <summary>One row of `sup jobs` / the `jobs` RPC method.</summary>
public sealed record JobRow
{
    public required string Name { get; init; }
    /// <summary>"cron 0 9 * * MON (America/New_York)", "every 6h ± 30m", "on_file ./Inbox/*.md".</summary>
    public required string Schedule { get; init; }
    public required string Status { get; init; }
    public bool Enabled { get; init; }
    /// <summary>Held by `sup pause` (all jobs, or this one); its status is then "paused".</summary>
    public bool Paused { get; init; }
    public string? LastRun { get; init; }
    public string? LastResult { get; init; }
    public long? LastDurationMs { get; init; }
    public string? NextRun { get; init; }
    public int RunCount { get; init; }
    public int FailureCount { get; init; }
    public int SkippedCount { get; init; }
    public string? LastError { get; init; }
    /// <summary>The first line the last failed run wrote to stderr; null when it wrote none or the last run succeeded.</summary>
    public string? LastErrorOutput { get; init; }
}
