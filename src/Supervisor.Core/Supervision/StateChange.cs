namespace Supervisor.Core.Supervision;

/// <summary>One transition, kept for `sup describe` (the last 20 per app).</summary>
public sealed record StateChange(DateTimeOffset At, AppStatus From, AppStatus To, string Reason);
