namespace Supervisor.Core.Protocol;

/// <summary>One past run of a job (`sup history`).</summary>
public sealed record JobRunInfo
{
    public required string Job { get; init; }
    public required string Start { get; init; }
    public string? End { get; init; }
    public long? DurationMs { get; init; }
    public int? ExitCode { get; init; }
    /// <summary>cron, every, file, manual, missed or retry.</summary>
    public required string Trigger { get; init; }
    public string? Result { get; init; }
    public int Attempt { get; init; } = 1;
    public string? File { get; init; }
    /// <summary>The run's SUP_RUN_ID (JOB-yyyyMMdd-HHmmss), shared by its retries; null for runs recorded before run ids.</summary>
    public string? RunId { get; init; }
}
