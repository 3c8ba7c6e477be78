namespace Supervisor.Core.Export;

/// <summary>
/// A readiness or health check as the exporter needs it, independent of how the ecosystem
/// spells it: a command run in the container, an HTTP GET, or a TCP connect, with its timing.
/// </summary>
public sealed record ProbeDescription(
    ProbeKind Kind, IReadOnlyList<string>? Command, int? Port, string? Path,
    TimeSpan Interval, TimeSpan Timeout, int FailureThreshold, TimeSpan InitialDelay);

public enum ProbeKind { Exec, Http, Tcp }

/// <summary>The seam where `ready:`/`health:` become readinessProbe/livenessProbe.</summary>
internal static class KubernetesProbe
{
    public static void Write(YamlText yaml, int indent, string field, ProbeDescription probe)
    {
        yaml.Line(indent, field + ":");
        var i = indent + 1;
        switch (probe.Kind)
        {
            case ProbeKind.Exec:
                yaml.Line(i, "exec:").Line(i + 1, "command:");
                foreach (var word in probe.Command ?? []) yaml.Line(i + 2, "- " + YamlText.Str(word));
                break;
            case ProbeKind.Http:
                yaml.Line(i, "httpGet:").Line(i + 1, "path: " + YamlText.Str(probe.Path ?? "/")).Line(i + 1, "port: " + YamlText.Int(probe.Port ?? 80));
                break;
            case ProbeKind.Tcp:
                yaml.Line(i, "tcpSocket:").Line(i + 1, "port: " + YamlText.Int(probe.Port ?? 80));
                break;
        }
        yaml.Line(i, "periodSeconds: " + YamlText.Int(Seconds(probe.Interval)))
            .Line(i, "timeoutSeconds: " + YamlText.Int(Seconds(probe.Timeout)))
            .Line(i, "failureThreshold: " + YamlText.Int(Math.Max(1, probe.FailureThreshold)));
        if (probe.InitialDelay > TimeSpan.Zero) yaml.Line(i, "initialDelaySeconds: " + YamlText.Int(Seconds(probe.InitialDelay)));
    }

    // Kubernetes counts whole seconds, at least 1.
    private static long Seconds(TimeSpan t) => Math.Max(1, (long)Math.Ceiling(t.TotalSeconds));
}
