using Supervisor.Core.Platform;

namespace Supervisor.Core.Readiness;

/// <summary>`notify: true`: passes once the app sent READY=1 to its NOTIFY_SOCKET.</summary>
public sealed class NotifyProbe(NotifyProbeSpec spec, NotifySocketListener listener) : IPassiveProbe
{
    public string What => spec.What;
    public Task Seen => listener.Ready;
    public string Pending => listener.Status is { } status ? $"no READY=1 yet, STATUS={status}" : "no READY=1 received";

    public Task<ProbeResult> CheckAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        Task.FromResult(listener.Ready.IsCompleted ? ProbeResult.Pass : ProbeResult.Fail(Pending));
}
