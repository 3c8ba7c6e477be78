namespace Supervisor.Core.Protocol;

/// <summary>`sup describe NAME`: everything known about one app.</summary>
public sealed record AppDetail
{
    public required AppInfo App { get; init; }
    public required IReadOnlyDictionary<string, string> Config { get; init; }
    public required string Command { get; init; }
    public required string Cwd { get; init; }
    public string? SourceFile { get; init; }
    public required string OutLog { get; init; }
    public required string ErrLog { get; init; }
    public required string PidFile { get; init; }
    public IReadOnlyDictionary<string, string> Env { get; init; } = new Dictionary<string, string>();
    public IReadOnlyList<HistoryEntry> History { get; init; } = [];
    public IReadOnlyList<string> NextRuns { get; init; } = [];
    public IReadOnlyList<JobRunInfo> LastRuns { get; init; } = [];
}

public sealed record HistoryEntry(string At, string From, string To, string Reason);
