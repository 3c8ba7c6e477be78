using System.Text.Json.Serialization;
using Supervisor.Core.Protocol;

namespace Supervisor.Core.Daemon;

/// <summary>What state.json holds: job schedule state and history, and each app's desired state.</summary>
public sealed class DaemonState
{
    public Dictionary<string, JobState> Jobs { get; set; } = new();
    /// <summary>Apps a user stopped stay stopped across daemon restarts: name → "stopped" | "running".</summary>
    public Dictionary<string, string> Desired { get; set; } = new();
    /// <summary>Identity (pid and /proc start time) of each running app, to recognise orphans after a crash.</summary>
    public Dictionary<string, RunningIdentity> Running { get; set; } = new();
    /// <summary>False while a daemon runs; true after a clean shutdown (so a crash can be told apart).</summary>
    public bool CleanShutdown { get; set; } = true;
    /// <summary>`sup pause` with no names: no job's schedule fires until `sup resume`.</summary>
    public bool SchedulerPaused { get; set; }
    /// <summary>Jobs paused by name (`sup pause JOB`), until `sup resume JOB` or `sup resume`.</summary>
    public List<string> PausedJobs { get; set; } = new();
    /// <summary>PM2's numeric ids: app name → id (<see cref="AppIds"/>).</summary>
    public Dictionary<string, int> Ids { get; set; } = new();
}

public sealed record RunningIdentity(int Pid, ulong StartTimeTicks, string? SourceFile);

public sealed class JobState
{
    public bool Enabled { get; set; } = true;
    public DateTimeOffset? LastNominalDue { get; set; }
    public DateTimeOffset? NextDue { get; set; }
    public int RunCount { get; set; }
    public int FailureCount { get; set; }
    public int SkippedCount { get; set; }
    public string? LastError { get; set; }
    /// <summary>The first line the last failed run wrote to stderr (`sup jobs`: "Last error: ...").</summary>
    public string? LastErrorOutput { get; set; }
    public List<JobRunInfo> History { get; set; } = new();
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true)]
[JsonSerializable(typeof(DaemonState))]
internal sealed partial class DaemonStateJson : JsonSerializerContext;
