namespace Supervisor.Core.Scheduling;

/// <summary>
/// The outcome of one attempt of a job run: every step exited 0, or the first failure, or the
/// attempt was stopped (`sup stop`, a config change, daemon shutdown) before it ended.
/// </summary>
public sealed record JobAttemptResult(bool Succeeded, int? ExitCode, string Summary)
{
    public const string StoppedSummary = "stopped";

    /// <summary>Stopped from outside: not a failure of the job, and never retried.</summary>
    public bool Stopped { get; init; }

    /// <summary>For a failed attempt: the first line it wrote to stderr, or null.</summary>
    public string? ErrorLine { get; init; }

    public static JobAttemptResult Ok { get; } = new(true, 0, "ok");

    public static JobAttemptResult StoppedWith(int? exitCode) => new(false, exitCode, StoppedSummary) { Stopped = true };
}
