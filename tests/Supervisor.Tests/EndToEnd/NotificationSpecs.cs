using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Supervisor.Tests.TestSupport;
using Xunit;

namespace Supervisor.Tests.EndToEnd;

/// <summary>Events, notify targets, sup health and sup reset, with a real daemon and real crashing apps.</summary>
public sealed class NotificationSpecs : IAsyncLifetime
{
    private readonly SupHome _sup = SupHome.Create();

    public Task InitializeAsync() => Task.CompletedTask;
    public async Task DisposeAsync() => await _sup.DisposeAsync();

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    [Fact(Timeout = 150_000)]
    public async Task An_errored_app_is_posted_to_a_webhook_and_told_to_an_exec_command_with_its_env()
    {
        var port = FreePort();
        using var listener = new HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        var bodies = new List<string>();
        var serving = Task.Run(async () =>
        {
            while (listener.IsListening)
            {
                HttpListenerContext ctx;
                try { ctx = await listener.GetContextAsync(); } catch (Exception) { return; }
                using (var reader = new StreamReader(ctx.Request.InputStream)) lock (bodies) bodies.Add(reader.ReadToEnd());
                ctx.Response.StatusCode = 200;
                ctx.Response.Close();
            }
        });

        var envFile = Path.Combine(_sup.Apps, "notified.env");
        _sup.WriteFile("crash.sh", "#!/bin/sh\necho boom >&2\nexit 3\n");
        await _sup.OkAsync("start", _sup.WriteFile("ecosystem.yaml", $$"""
            notify:
              - webhook: http://127.0.0.1:{{port}}/hook
                on: [errored]
            apps:
              - name: crasher
                script: ./crash.sh
                min_uptime: 5s
                exp_backoff_restart_delay: 100ms
                max_restarts: 2
              - name: other
                script: ./crash.sh
                autostart: false
                min_uptime: 5s
                exp_backoff_restart_delay: 100ms
                max_restarts: 3
                notify:
                  - exec: "env | grep ^SUP_ > {{envFile}}"
                    on: [crashed]
            """));

        Assert.True(await Eventually.TrueAsync(() => { lock (bodies) return Task.FromResult(bodies.Count > 0); }, TimeSpan.FromSeconds(20)),
            "the webhook received the errored event");
        using (var body = JsonDocument.Parse(bodies[0]))
        {
            Assert.Equal("errored", body.RootElement.GetProperty("event").GetString());
            Assert.Equal("crasher", body.RootElement.GetProperty("app").GetString());
            Assert.Equal(3, body.RootElement.GetProperty("exit_code").GetInt32());
            Assert.StartsWith("crasher errored: ", body.RootElement.GetProperty("text").GetString());
            Assert.Contains("boom", body.RootElement.GetProperty("log_tail").GetString());
        }

        // sup health: errored means a failing check.
        var health = await _sup.SupAsync("health", "--json");
        Assert.Equal(1, health.ExitCode);
        using (var doc = JsonDocument.Parse(health.Stdout))
        {
            Assert.False(doc.RootElement.GetProperty("healthy").GetBoolean());
            Assert.Equal(1, doc.RootElement.GetProperty("counts").GetProperty("errored").GetInt32());
            Assert.Equal(2, doc.RootElement.GetProperty("totals").GetProperty("apps").GetInt32());
            Assert.True(doc.RootElement.GetProperty("uptime_ms").GetInt64() > 0);
        }

        // The exec target of the other app gets its env; the crash loop gives several crashes, but one notification a minute.
        await _sup.OkAsync("restart", "other");
        Assert.True(await Eventually.TrueAsync(() => Task.FromResult(File.Exists(envFile) && File.ReadAllText(envFile).Contains("SUP_REASON")),
            TimeSpan.FromSeconds(20)), "the exec notifier wrote its environment");
        var env = File.ReadAllText(envFile);
        Assert.Contains("SUP_EVENT=crashed", env);
        Assert.Contains("SUP_APP=other", env);
        Assert.Contains("SUP_EXIT_CODE=3", env);
        Assert.True(await Eventually.TrueAsync(async () => (await _sup.AppAsync("other")).GetProperty("status").GetString() == "errored",
            TimeSpan.FromSeconds(60)), $"other errored after its crashes; it is {(await _sup.AppAsync("other")).GetProperty("status").GetString()}; daemon.log ends:\n{string.Join('\n', _sup.DaemonLog.Split('\n').TakeLast(40))}");
        // The delivery is logged after the command ends, which can be after the app is errored.
        Assert.True(await Eventually.TrueAsync(() => Task.FromResult(_sup.DaemonLog.Contains("about other crashed")), TimeSpan.FromSeconds(20)));
        var told = _sup.DaemonLog.Split('\n').Where(l => l.Contains("notify:") && l.Contains("other")).ToList();
        Assert.True(told.Count(l => l.Contains("about other crashed")) == 1, "one crash notification in the minute: " + string.Join("\n", told));

        // sup reset zeroes the restart counter.
        Assert.True((await _sup.AppAsync("crasher")).GetProperty("restarts").GetInt32() > 0);
        await _sup.OkAsync("reset", "crasher");
        Assert.Equal(0, (await _sup.AppAsync("crasher")).GetProperty("restarts").GetInt32());
        listener.Stop();
        await serving;
    }

    [Fact(Timeout = 150_000)]
    public async Task Sup_events_sees_a_crash_live()
    {
        _sup.WriteFile("crash.sh", "#!/bin/sh\nsleep 1\nexit 7\n");
        await _sup.OkAsync("ls");
        using var events = _sup.StartSup("events", "--json", "--recent", "50"); // the recent ones too: it may connect after the start
        var lines = new List<string>();
        var reading = Task.Run(async () =>
        {
            while (await events.StandardOutput.ReadLineAsync() is { } line) lock (lines) lines.Add(line);
        });
        await _sup.OkAsync("start", _sup.WriteFile("ecosystem.yaml", """
            apps:
              - name: once
                script: ./crash.sh
                autorestart: false
            """));

        Assert.True(await Eventually.TrueAsync(() => { lock (lines) return Task.FromResult(lines.Any(l => l.Contains("\"crashed\""))); },
            TimeSpan.FromSeconds(20)), "sup events printed the crash");
        string crash;
        lock (lines) crash = lines.First(l => l.Contains("\"crashed\""));
        using var doc = JsonDocument.Parse(crash);
        Assert.Equal("once", doc.RootElement.GetProperty("app").GetString());
        Assert.Equal(7, doc.RootElement.GetProperty("exit_code").GetInt32());
        lock (lines) Assert.Contains(lines, l => l.Contains("\"started\"") && l.Contains("\"once\""));
        events.Kill();
        await reading;
    }

    [Fact]
    public async Task An_exec_notifier_running_while_apps_crash_is_not_taken_for_an_orphan_and_the_daemon_lives_on()
    {
        // The notifier runs while its app crash-loops: every crash makes the daemon scan for
        // orphans. It once adopted and reaped the notifier, and the runtime's own wait then took
        // the daemon down.
        var done = Path.Combine(_sup.Apps, "notified.done");
        _sup.WriteFile("crash.sh", "#!/bin/sh\nexit 3\n");
        await _sup.OkAsync("start", _sup.WriteFile("ecosystem.yaml", $$"""
            apps:
              - name: looper
                script: ./crash.sh
                min_uptime: 5s
                exp_backoff_restart_delay: 100ms
                max_restarts: 8
                notify:
                  - exec: "sleep 1; echo delivered > {{done}}"
                    on: [crashed]
            """));
        var daemon = _sup.DaemonPid;

        Assert.True(await Eventually.TrueAsync(() => Task.FromResult(File.Exists(done)), TimeSpan.FromSeconds(30)), "the notifier ran to its end");
        Assert.True(await Eventually.TrueAsync(async () => (await _sup.AppAsync("looper")).GetProperty("status").GetString() == "errored",
            TimeSpan.FromSeconds(30)), "looper errored after its crashes");

        Assert.Equal(daemon, _sup.DaemonPid);
        Assert.DoesNotContain("adopted orphan", _sup.DaemonLog);
        Assert.DoesNotContain("did not shut down", _sup.DaemonLog);
    }
}
