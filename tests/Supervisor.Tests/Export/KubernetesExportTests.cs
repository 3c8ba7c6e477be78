using Supervisor.Core.Export;
using Supervisor.Tests.Config;
using Xunit;

namespace Supervisor.Tests.Export;

public sealed class KubernetesExportTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task The_example_ecosystem_exports_documents_the_kubernetes_schemas_accept()
    {
        var result = KubernetesExporter.Export(ExportTools.LoadExample().Apps, "ecosystem.example.yaml", "registry.example/helpers:1");

        Assert.Equal(["api-server.yaml", "flaky-worker.yaml", "gmail-watcher.yaml", "heartbeat.yaml", "weekly-briefing.yaml"],
            result.Documents.Select(d => d.FileName).Order(StringComparer.Ordinal));
        // Not silently dropped: the file drop and the jitter are named.
        Assert.Contains(result.Notes, n => n.StartsWith("inbox: not exported: on_file", StringComparison.Ordinal));
        Assert.Contains(result.Notes, n => n.StartsWith("heartbeat: jitter is not portable", StringComparison.Ordinal));
        await ExportTools.AssertValidKubernetesAsync(result.Documents);
    }

    [Fact]
    public async Task A_file_with_every_key_exports_documents_the_kubernetes_schemas_accept()
    {
        var result = KubernetesExporter.Export(ExportTools.LoadEveryKey(_dir.Path).Apps, "every-key.yaml", "registry.example/app:2");
        await ExportTools.AssertValidKubernetesAsync(result.Documents);

        var docs = result.Documents.ToDictionary(d => d.FileName, d => d.Text);
        var web = docs["web.yaml"];
        Assert.Contains("replicas: 3", web);
        Assert.Contains("terminationGracePeriodSeconds: 7", web);
        Assert.Contains("memory: \"209715200\"", web);
        Assert.Contains("\"kill -INT 1; sleep 7\"", web);
        Assert.Contains("value: \"prod\"", web);
        Assert.DoesNotContain("SUP_INSTANCE", web);

        var report = docs["report.yaml"];
        Assert.Contains("schedule: \"0 9 1 * MON\"", report);
        Assert.Contains("timeZone: \"Europe/Paris\"", report);
        Assert.Contains("concurrencyPolicy: \"Forbid\"", report);
        Assert.Contains("backoffLimit: 2", report);
        Assert.Contains("startingDeadlineSeconds:", report);
        Assert.Contains("suspend: true", report);
        Assert.Contains("- \"echo one && echo two\"", report);

        Assert.Contains("schedule: \"*/15 * * * *\"", docs["tick.yaml"]);
        // 90s divides neither an hour in minutes nor the day: refused with the reason.
        Assert.DoesNotContain("poll.yaml", docs.Keys);
        Assert.Contains(result.Notes, n => n.StartsWith("poll: not exported: every 1m 30s does not divide", StringComparison.Ordinal) || n.StartsWith("poll: not exported: every", StringComparison.Ordinal));
        Assert.Contains(result.Notes, n => n.StartsWith("tick: active_hours is not portable", StringComparison.Ordinal));
        Assert.Contains(result.Notes, n => n.StartsWith("once: autorestart: false", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_validator_rejects_a_document_that_breaks_the_schema()
    {
        var good = KubernetesExporter.Export(ExportTools.LoadExample().Apps, "x", "img").Documents.First(d => d.FileName == "api-server.yaml");
        var broken = good with { FileName = "broken.yaml", Text = good.Text.Replace("replicas: 1", "replicas: \"one\"", StringComparison.Ordinal) };

        var (exit, output) = await ExportTools.ValidateKubernetesAsync([broken]);

        Assert.Equal(1, exit);
        Assert.Contains("invalid", output);
        Assert.Contains("replicas", output);
    }

    [Theory]
    [InlineData(1, "* * * * *")]
    [InlineData(15, "*/15 * * * *")]
    [InlineData(60, "0 * * * *")]
    [InlineData(360, "0 */6 * * *")]
    [InlineData(1440, "0 0 * * *")]
    [InlineData(7, null)]
    [InlineData(300 + 0.5, null)]
    [InlineData(600, null)]
    public void Every_is_a_schedule_only_when_it_divides_the_hour_or_the_day(double minutes, string? schedule) =>
        Assert.Equal(schedule, KubernetesExporter.EveryAsSchedule(TimeSpan.FromMinutes(minutes)));

    [Fact]
    public async Task Probes_given_through_the_seam_become_readiness_and_liveness_probes()
    {
        var ready = new ProbeDescription(ProbeKind.Http, null, 8080, "/ready", TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(1500), 3, TimeSpan.FromSeconds(2));
        var health = new ProbeDescription(ProbeKind.Exec, ["/bin/sh", "-c", "test -f /tmp/ok"], null, null, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(1), 2, TimeSpan.Zero);
        var result = KubernetesExporter.Export(ExportTools.LoadExample().Apps, "x", "img",
            app => app.Name == "api-server" ? (ready, health) : (null, null));

        var api = result.Documents.Single(d => d.FileName == "api-server.yaml").Text;
        Assert.Contains("readinessProbe:", api);
        Assert.Contains("path: \"/ready\"", api);
        Assert.Contains("timeoutSeconds: 2", api);
        Assert.Contains("livenessProbe:", api);
        Assert.Contains("- \"test -f /tmp/ok\"", api);
        Assert.DoesNotContain("Probe", result.Documents.Single(d => d.FileName == "gmail-watcher.yaml").Text);
        await ExportTools.AssertValidKubernetesAsync(result.Documents);
    }

    [Fact]
    public async Task Ready_and_health_of_an_app_become_its_readiness_and_liveness_probes()
    {
        var result = KubernetesExporter.Export(ExportTools.LoadEveryKey(_dir.Path).Apps, "every-key.yaml", "img");

        var web = result.Documents.Single(d => d.FileName == "web.yaml").Text;
        Assert.Matches(@"readinessProbe:\s+httpGet:\s+path: ""/ready\?full=1""\s+port: 8080", web);
        Assert.Matches(@"livenessProbe:\s+tcpSocket:\s+port: 8080\s+periodSeconds: 5\s+timeoutSeconds: 1\s+failureThreshold: 2\s+initialDelaySeconds: 10", web);
        // notify has no Kubernetes form.
        Assert.DoesNotContain("Probe", result.Documents.Single(d => d.FileName == "once.yaml").Text);
        await ExportTools.AssertValidKubernetesAsync(result.Documents);
    }

    [Theory]
    [InlineData("Web_Server.v2", "web-server-v2")]
    [InlineData("--x--", "x")]
    public void Resource_names_are_dns_labels(string name, string expected) =>
        Assert.Equal(expected, KubernetesExporter.ResourceName(name));
}
