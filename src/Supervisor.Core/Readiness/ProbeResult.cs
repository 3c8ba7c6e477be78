namespace Supervisor.Core.Readiness;

/// <summary>One check's answer: passed, or how it failed ("timed out", "answered 503").</summary>
public readonly record struct ProbeResult(bool Passed, string? Failure)
{
    private const string TimedOutFailure = "timed out";

    public static ProbeResult Pass { get; } = new(true, null);

    /// <summary>The check ran out of its time without an answer.</summary>
    public static ProbeResult TimedOut { get; } = new(false, TimedOutFailure);

    public bool IsTimeout => !Passed && Failure == TimedOutFailure;

    public static ProbeResult Fail(string failure) => new(false, failure);
}
