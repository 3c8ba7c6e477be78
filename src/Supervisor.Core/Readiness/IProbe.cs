namespace Supervisor.Core.Readiness;

/// <summary>A check that can be run against a running app.</summary>
public interface IProbe
{
    /// <summary>How reasons name it ("tcp 127.0.0.1:8080").</summary>
    string What { get; }

    /// <summary>One check, over within <paramref name="timeout"/> (a check past it is "timed out", never an exception).</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    Task<ProbeResult> CheckAsync(TimeSpan timeout, CancellationToken cancellationToken);
}

/// <summary>
/// A check the app answers by itself (a log line, a READY=1 datagram) rather than one sup asks:
/// it is awaited, not polled.
/// </summary>
public interface IPassiveProbe : IProbe
{
    /// <summary>Completes when the app gave the sign.</summary>
    Task Seen { get; }

    /// <summary>What is still awaited, for a timed-out reason.</summary>
    string Pending { get; }
}
