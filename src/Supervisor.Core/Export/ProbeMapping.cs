using Supervisor.Core.Config;
using Supervisor.Core.Readiness;

namespace Supervisor.Core.Export;

/// <summary>
/// `ready:` and `health:` as Kubernetes probes: tcp becomes tcpSocket, http httpGet, exec an exec
/// of `/bin/sh -c`. A log or notify check has no Kubernetes form and is left out. Readiness is
/// polled as sup polls it at its slowest (every second); health keeps its own timings, with
/// start_period as initialDelaySeconds.
/// </summary>
public static class ProbeMapping
{
    public static (ProbeDescription? Ready, ProbeDescription? Health) For(AppSpec app)
    {
        var ready = app.Ready is { } r
            ? Describe(r, ReadinessWaiter.MaxPoll, ReadinessWaiter.AttemptTimeout, 3, TimeSpan.Zero)
            : null;
        var health = app.Health is { } h ? Describe(h.Probe, h.Interval, h.Timeout, h.Retries, h.StartPeriod) : null;
        return (ready, health);
    }

    private static ProbeDescription? Describe(ProbeSpec probe, TimeSpan interval, TimeSpan timeout, int failures, TimeSpan initialDelay) => probe switch
    {
        TcpProbeSpec tcp => new(ProbeKind.Tcp, null, tcp.Port, null, interval, timeout, failures, initialDelay),
        HttpProbeSpec http => new(ProbeKind.Http, null, http.Url.Port, http.Url.PathAndQuery, interval, timeout, failures, initialDelay),
        ExecProbeSpec exec => new(ProbeKind.Exec, ["/bin/sh", "-c", exec.Command], null, null, interval, timeout, failures, initialDelay),
        _ => null,
    };
}
