namespace Supervisor.Core.Protocol;

/// <summary>`sup describe NAME`: everything known about one app.</summary>
public sealed record AppDetail
{
    public required AppInfo App { get; init; }
    public required IReadOnlyDictionary<string, string> Config { get; init; }
    /// <summary>Where each <see cref="Config"/> value came from: "file", "cli" or "default".</summary>
    public IReadOnlyDictionary<string, string> ConfigSources { get; init; } = new Dictionary<string, string>();
    public required string Command { get; init; }
    public required string Cwd { get; init; }
    public string? SourceFile { get; init; }
    public required string OutLog { get; init; }
    public required string ErrLog { get; init; }
    public required string PidFile { get; init; }
    public IReadOnlyDictionary<string, string> Env { get; init; } = new Dictionary<string, string>();
    public IReadOnlyList<HistoryEntry> History { get; init; } = [];
    /// <summary>Services: the restart backoff being waited out now (status waiting), else null.</summary>
    public long? BackoffMs { get; init; }
    /// <summary>Services: what the next fast crash would wait; null when it would not be restarted (errored, or autorestart off).</summary>
    public long? NextBackoffMs { get; init; }
    /// <summary>Jobs: the next due times, ISO 8601 with offset (the first includes its jitter).</summary>
    public IReadOnlyList<string> NextRuns { get; init; } = [];
    /// <summary>Jobs: the most recent runs, oldest first.</summary>
    public IReadOnlyList<JobRunInfo> LastRuns { get; init; } = [];
}

public sealed record HistoryEntry(string At, string From, string To, string Reason);
