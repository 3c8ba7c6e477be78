namespace Supervisor.Core.Readiness;

/// <summary>How a wait for readiness ended: ready after <see cref="Elapsed"/>, or not within the timeout (<see cref="LastFailure"/> says why).</summary>
public sealed record ReadyOutcome(bool Ready, TimeSpan Elapsed, string? LastFailure);
