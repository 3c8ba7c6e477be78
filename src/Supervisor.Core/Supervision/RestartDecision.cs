namespace Supervisor.Core.Supervision;

public enum RestartAction
{
    /// <summary>Start the app again after <see cref="RestartDecision.Delay"/>.</summary>
    Restart,
    /// <summary>Leave it stopped: autorestart is off or the exit code is a stop code.</summary>
    Stay,
    /// <summary>Too many consecutive fast crashes: the app is errored.</summary>
    GiveUp,
}

/// <param name="FastCrashes">Consecutive fast crashes including this exit (0 after a long run).</param>
public sealed record RestartDecision(RestartAction Action, TimeSpan Delay, int FastCrashes, string Reason);
