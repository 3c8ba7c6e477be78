namespace Supervisor.Core.Protocol;

/// <summary>The `health` RPC method's result and `sup health --json` (docs/rpc.md).</summary>
public sealed record HealthReport
{
    /// <summary>False when any app is errored or unhealthy.</summary>
    public required bool Healthy { get; init; }
    /// <summary>Apps per status, e.g. {"online": 3, "scheduled": 2}.</summary>
    public required Dictionary<string, int> Counts { get; init; }
    /// <summary>The apps that make it unhealthy.</summary>
    public required string[] Problems { get; init; }
    public NextJobInfo? NextJob { get; init; }
    public LastExecutionInfo? LastExecution { get; init; }
    public required long UptimeMs { get; init; }
    public required HealthTotals Totals { get; init; }
}

public sealed record NextJobInfo(string Name, string At, long InSeconds);

public sealed record LastExecutionInfo(string Job, string At, string? Result, bool Succeeded);

public sealed record HealthTotals
{
    public int Apps { get; init; }
    public int Services { get; init; }
    public int Jobs { get; init; }
    public int Restarts { get; init; }
    public int Runs { get; init; }
    public int Failures { get; init; }
    /// <summary>(runs - failures) / runs, 0..1; null before any run.</summary>
    public double? SuccessRate { get; init; }
}
