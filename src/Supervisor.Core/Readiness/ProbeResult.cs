namespace Supervisor.Core.Readiness;

/// <summary>One check's answer: passed, or how it failed ("timed out", "answered 503").</summary>
public readonly record struct ProbeResult(bool Passed, string? Failure)
{
    public static ProbeResult Pass { get; } = new(true, null);

    public static ProbeResult Fail(string failure) => new(false, failure);
}
