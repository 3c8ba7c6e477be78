namespace Supervisor.Core.Readiness;

/// <summary>
/// `health:` of a service, docker compose's healthcheck (and Kubernetes' liveness probe): the
/// check runs every <see cref="Interval"/>, each bounded by <see cref="Timeout"/>;
/// <see cref="Retries"/> failures in a row make the app unhealthy, except failures within
/// <see cref="StartPeriod"/> of its start, which do not count.
/// </summary>
public sealed record HealthSpec(ProbeSpec Probe, TimeSpan Interval, TimeSpan Timeout, int Retries, TimeSpan StartPeriod)
{
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(5);
    public const int DefaultRetries = 3;
    public static readonly TimeSpan DefaultStartPeriod = TimeSpan.Zero;
}
