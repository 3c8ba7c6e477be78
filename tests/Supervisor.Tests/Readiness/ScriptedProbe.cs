using Supervisor.Core.Readiness;

namespace Supervisor.Tests.Readiness;

/// <summary>A check that answers from a script (null = pass, else the failure) and records when it was asked, with what timeout.</summary>
internal sealed class ScriptedProbe(TimeProvider time, params string?[] answers) : IProbe
{
    private int _next;

    public string What => "GET http://127.0.0.1:8080/health";
    public List<(DateTimeOffset At, TimeSpan Timeout)> Checks { get; } = [];

    /// <summary>Given when the script has run out.</summary>
    public string? Otherwise { get; init; } = "timed out";

    public Task<ProbeResult> CheckAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        Checks.Add((time.GetUtcNow(), timeout));
        var answer = _next < answers.Length ? answers[_next++] : Otherwise;
        return Task.FromResult(answer is null ? ProbeResult.Pass : ProbeResult.Fail(answer));
    }
}
