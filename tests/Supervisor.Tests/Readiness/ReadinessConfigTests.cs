using Supervisor.Core.Config;
using Supervisor.Core.Readiness;
using Supervisor.Tests.Config;
using Xunit;

namespace Supervisor.Tests.Readiness;

public sealed class ReadinessConfigTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public ReadinessConfigTests() => _dir.Write("run.sh");

    public void Dispose() => _dir.Dispose();

    private AppSpec App(string keys) => _dir.Load($"apps:\n  - {{ name: web, script: run.sh, {keys} }}\n  - {{ name: db, script: run.sh }}").Apps[0];

    [Fact]
    public void Each_ready_kind_is_read_into_its_check()
    {
        Assert.Equal(new TcpProbeSpec("127.0.0.1", 8080), App("ready: { tcp: 8080 }").Ready);
        Assert.Equal(new TcpProbeSpec("db.local", 5432), App("ready: { tcp: 'db.local:5432' }").Ready);
        Assert.Equal(new HttpProbeSpec(new Uri("http://127.0.0.1:8080/ready")), App("ready: { http: 'http://127.0.0.1:8080/ready' }").Ready);
        Assert.Equal(new ExecProbeSpec("pg_isready -q"), App("ready: { exec: 'pg_isready -q' }").Ready);
        Assert.Equal(new LogProbeSpec("listening on \\d+"), App("ready: { log: 'listening on \\d+' }").Ready);
        Assert.Equal(new NotifyProbeSpec(), App("ready: { notify: true }").Ready);
    }

    [Fact]
    public void Ready_timeout_is_30s_unless_given()
    {
        Assert.Equal(TimeSpan.FromSeconds(30), App("ready: { tcp: 80 }").ReadyTimeout);
        Assert.Equal(TimeSpan.FromMinutes(2), App("ready: { tcp: 80 }, ready_timeout: 2m").ReadyTimeout);
        Assert.Null(App("autostart: true").Ready);
    }

    [Fact]
    public void Health_takes_one_check_and_docker_compose_timings()
    {
        var health = App("health: { http: 'http://127.0.0.1:8080/health', interval: 5s, timeout: 1s, retries: 2, start_period: 30s }").Health;

        Assert.Equal(new HealthSpec(new HttpProbeSpec(new Uri("http://127.0.0.1:8080/health")), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(1), 2, TimeSpan.FromSeconds(30)), health);
        Assert.Equal(new HealthSpec(new TcpProbeSpec("127.0.0.1", 80), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(5), 3, TimeSpan.Zero), App("health: { tcp: 80 }").Health);
    }

    [Fact]
    public void Restart_with_names_apps_from_depends_on()
    {
        Assert.Equal(["db"], App("depends_on: [db], restart_with: [db]").RestartWith);
        Assert.Empty(App("depends_on: [db]").RestartWith);
    }

    [Theory]
    [InlineData("ready: { tcp: 80, http: 'http://x/' }", "2:52: ready takes exactly one of log, tcp, http, exec, notify.")]
    [InlineData("ready: {}", "2:41: ready takes exactly one of log, tcp, http, exec, notify.")]
    [InlineData("ready: { tcp: 70000 }", "2:48: ready.tcp: '70000' is not a port (1-65535) or host:port.")]
    [InlineData("ready: { http: 'ftp://x/' }", "2:49: ready.http: 'ftp://x/' is not an http:// or https:// URL.")]
    [InlineData("ready: { log: '(' }", "2:48: ready.log: '(' is not a valid regular expression (Invalid pattern '(' at offset 1. Not enough )'s.).")]
    [InlineData("ready: { notify: false }", "2:51: ready.notify can only be true; leave out ready: for an app that is ready once started.")]
    [InlineData("ready: { tpc: 80 }", "2:43: Unknown key 'tpc' in ready; did you mean 'tcp'?")]
    [InlineData("health: { log: 'x' }", "2:44: health.log only marks readiness (ready:); a health check is exec, tcp or http.")]
    [InlineData("health: { tcp: 80, retries: 0 }", "2:62: health.retries: '0' must be 1 or more.")]
    [InlineData("restart_with: [db]", "2:49: restart_with: 'db' is not in depends_on; an app restarts only with apps it depends on.")]
    public void A_bad_check_is_a_load_error_at_its_place(string keys, string problem)
    {
        var problems = _dir.Problems($"apps:\n  - {{ name: web, script: run.sh, {keys} }}\n  - {{ name: db, script: run.sh }}");

        Assert.Contains(problem, problems);
    }
}
