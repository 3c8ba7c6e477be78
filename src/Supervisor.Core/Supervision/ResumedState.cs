namespace Supervisor.Core.Supervision;

/// <summary>
/// Where a service stood when its daemon died with no child running (Daemon/Journal): waiting
/// out a backoff until <see cref="Until"/>, about to start (Starting), or errored. The next daemon
/// resumes it there (<see cref="ServiceSupervisor.ResumeAsync"/>) with its counts kept.
/// </summary>
public sealed record ResumedState(AppStatus Status, int Restarts, int FastCrashes, DateTimeOffset? Until, string Reason);
