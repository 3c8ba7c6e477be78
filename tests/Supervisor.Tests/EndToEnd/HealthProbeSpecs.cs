using System.Text.Json;
using Supervisor.Tests.TestSupport;
using Xunit;

namespace Supervisor.Tests.EndToEnd;

/// <summary>health: and restart_with end to end.</summary>
public sealed class HealthProbeSpecs : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(40);
    private readonly SupHome _sup = SupHome.Create();

    public Task InitializeAsync() => Task.CompletedTask;
    public async Task DisposeAsync() => await _sup.DisposeAsync();

    private static string Reason(JsonElement app) =>
        app.TryGetProperty("reason", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString()! : "";

    [Fact(Timeout = 150_000)]
    public async Task An_app_that_hangs_fails_its_health_check_and_is_restarted_with_the_reason_shown()
    {
        // Healthy for its first second (it keeps its heartbeat file), then it hangs: alive, but the
        // heartbeat is gone, so the exec check fails.
        _sup.WriteFile("hang.sh", "#!/bin/sh\ntouch heartbeat\nsleep 1\nrm -f heartbeat\nexec sleep 300\n");
        var heard = Path.Combine(_sup.Apps, "events.txt");
        var file = _sup.WriteFile("ecosystem.yaml", $$"""
            apps:
              - name: hanger
                script: ./hang.sh
                min_uptime: 1s
                exp_backoff_restart_delay: 100ms
                health: { exec: 'test -f heartbeat', interval: 500ms, timeout: 2s, retries: 2 }
                notify: [{ exec: 'echo "$SUP_EVENT $SUP_REASON" >> {{heard}}', on: [unhealthy] }]
            """);
        await _sup.OkAsync("start", file);
        // Read once online: on a slow machine the first restart may already be behind us.
        var first = await Eventually.ValueAsync(() => _sup.AppAsync("hanger"), a => a.GetProperty("status").GetString() == "online", Patience, "hanger online");
        var firstPid = first.GetProperty("pid").GetInt32();
        var firstRestarts = first.GetProperty("restarts").GetInt32();

        var restarted = await Eventually.ValueAsync(() => _sup.AppAsync("hanger"),
            a => a.GetProperty("restarts").GetInt32() > firstRestarts && a.GetProperty("status").GetString() == "online"
                && a.GetProperty("pid").GetInt32() != firstPid,
            Patience, "hanger restarted and online");

        const string reason = "health: exec `test -f heartbeat` exited with code 1 2 times";
        Assert.NotEqual(firstPid, restarted.GetProperty("pid").GetInt32());
        Assert.False(Processes.IsAlive(firstPid), "the hung child is gone");
        Assert.Contains("restarted after " + reason, Reason(restarted));
        Assert.Contains("restarted after " + reason, (await _sup.OkAsync("ls")).Stdout);
        var describe = await _sup.OkAsync("describe", "hanger");
        Assert.Contains(reason, describe.Stdout);
        Assert.Contains($"hanger: {reason}; stopping it", _sup.DaemonLog);
        Assert.True(await Eventually.TrueAsync(() => Task.FromResult(File.Exists(heard) && File.ReadAllText(heard).Contains("unhealthy " + reason)), Patience),
            "the unhealthy event reached the notify: exec target");
    }

    [Fact(Timeout = 150_000)]
    public async Task Sup_health_fails_while_an_app_is_unhealthy_and_passes_once_its_check_passes_again()
    {
        // The check passes while the file "up" exists: the test decides when the app is healthy.
        var up = Path.Combine(_sup.Apps, "up");
        File.WriteAllText(up, "");
        _sup.WriteFile("serve.sh", "#!/bin/sh\nexec sleep 300\n");
        await _sup.OkAsync("start", _sup.WriteFile("ecosystem.yaml", $$"""
            apps:
              - name: api
                script: ./serve.sh
                autorestart: false
                health: { exec: 'test -f {{up}}', interval: 300ms, timeout: 2s, retries: 2 }
              - name: other
                script: ./serve.sh
            """));
        await Eventually.ValueAsync(() => _sup.AppAsync("api"), a => a.GetProperty("status").GetString() == "online", Patience, "api online");
        Assert.Equal(0, (await _sup.SupAsync("health", "--json")).ExitCode);

        File.Delete(up);
        // Unhealthy, and with autorestart off left down: stopped, not errored, yet not healthy.
        var down = await Eventually.ValueAsync(() => _sup.AppAsync("api"), a => a.GetProperty("status").GetString() == "stopped", Patience, "api stopped by its failing check");
        Assert.Contains("health: exec", Reason(down));
        var health = await _sup.SupAsync("health", "--json");
        Assert.Equal(1, health.ExitCode);
        using (var doc = JsonDocument.Parse(health.Stdout))
        {
            Assert.False(doc.RootElement.GetProperty("healthy").GetBoolean());
            var problem = Assert.Single(doc.RootElement.GetProperty("problems").EnumerateArray()).GetString()!;
            Assert.StartsWith("api: unhealthy, stopped (health: exec `test -f", problem);
        }
        Assert.Equal(1, (await _sup.SupAsync("health")).ExitCode);

        // Started again, it stays unhealthy until a check passes, then sup health is green.
        File.WriteAllText(up, "");
        await _sup.OkAsync("restart", "api");
        Assert.True(await Eventually.TrueAsync(async () => (await _sup.SupAsync("health", "--json")).ExitCode == 0, Patience),
            "sup health passes once api's check passes again");
        Assert.Contains("api: health: exec `test -f", _sup.DaemonLog);
        Assert.Contains("passes again", _sup.DaemonLog);
    }

    [Fact(Timeout = 150_000)]
    public async Task A_dependant_with_restart_with_is_restarted_when_its_dependency_crashes_and_others_keep_running()
    {
        _sup.WriteFile("run.sh", "#!/bin/sh\nexec sleep 300\n");
        var file = _sup.WriteFile("ecosystem.yaml", """
            apps:
              - { name: db, script: ./run.sh }
              - { name: api, script: ./run.sh, depends_on: [db], restart_with: [db] }
              - { name: report, script: ./run.sh, depends_on: [db] }
            """);
        await _sup.OkAsync("start", file);
        var api = (await _sup.AppAsync("api")).GetProperty("pid").GetInt32();
        var report = (await _sup.AppAsync("report")).GetProperty("pid").GetInt32();

        await _sup.OkAsync("signal", "SIGKILL", "db");

        var restarted = await Eventually.ValueAsync(() => _sup.AppAsync("api"),
            a => a.GetProperty("status").GetString() == "online" && a.TryGetProperty("pid", out var p) && p.ValueKind == JsonValueKind.Number && p.GetInt32() != api,
            Patience, "api restarted with a new pid");
        Assert.Equal(1, restarted.GetProperty("restarts").GetInt32());
        Assert.Equal(report, (await _sup.AppAsync("report")).GetProperty("pid").GetInt32());
        Assert.Contains("restart_with: db crashed", _sup.DaemonLog);
    }
}
