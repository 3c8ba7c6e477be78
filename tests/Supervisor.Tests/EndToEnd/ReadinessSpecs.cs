using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Supervisor.Tests.TestSupport;
using Xunit;

namespace Supervisor.Tests.EndToEnd;

/// <summary>ready: end to end: real apps that become ready late, a real daemon, the real CLI.</summary>
public sealed class ReadinessSpecs : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly SupHome _sup = SupHome.Create();

    public Task InitializeAsync() => Task.CompletedTask;
    public async Task DisposeAsync() => await _sup.DisposeAsync();

    /// <summary>`command:` running the test app with a verb.</summary>
    private static string TestAppCommand(params string[] verbArgs) =>
        string.Join(' ', new[] { TestApp.DotnetHost, TestApp.Path }.Concat(verbArgs));

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private async Task<(string Status, string Reason)> StateAsync(string name)
    {
        var app = await _sup.AppAsync(name);
        return (app.GetProperty("status").GetString()!, app.TryGetProperty("reason", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString()! : "");
    }

    private Task<(string Status, string Reason)> EventuallyAsync(string name, string status) =>
        Eventually.ValueAsync(() => StateAsync(name), s => s.Status == status, Patience, $"{name} {status}");

    [Fact(Timeout = 120_000)]
    public async Task An_http_server_that_listens_late_is_starting_until_then_and_its_dependant_starts_after_it_is_ready()
    {
        var port = FreePort();
        var open = Path.Combine(_sup.Apps, "open-the-port"); // the server listens once this exists
        _sup.WriteFile("worker.sh", "#!/bin/sh\ndate +%s%N > worker-started\nexec sleep 300\n");
        var file = _sup.WriteFile("ecosystem.yaml", $"""
            apps:
              - name: web
                command: {TestAppCommand("listen-after", open, port.ToString(), "http")}
                ready: {"{"} http: "http://127.0.0.1:{port}/ready" {"}"}
                notify: [{"{"} exec: 'echo "$SUP_EVENT $SUP_APP" >> {_sup.Apps}/events.txt', on: [ready] {"}"}]
              - name: worker
                script: ./worker.sh
                depends_on: {"{"} web: ready {"}"}
            """);

        var start = await _sup.OkAsync("start", file, "--no-wait");

        Assert.Contains("starting", start.Stdout);
        var web = await StateAsync("web");
        var worker = await StateAsync("worker");
        Assert.Equal(("starting", true), (web.Status, web.Reason.Contains($"waiting for GET http://127.0.0.1:{port}/ready")));
        Assert.Equal(("starting", "waiting for web to be ready"), worker);
        Assert.False(File.Exists(Path.Combine(_sup.Apps, "worker-started")), "worker started before web was ready");
        var ls = await _sup.OkAsync("ls");
        Assert.Contains($"waiting for GET http://127.0.0.1:{port}/ready", ls.Stdout);
        await Task.Delay(2000); // the port opens 2 s after the start (at least): still starting meanwhile
        Assert.Equal("starting", (await StateAsync("web")).Status);
        Assert.Equal("starting", (await StateAsync("worker")).Status);

        File.WriteAllText(open, "");

        var ready = await EventuallyAsync("web", "online");
        Assert.Contains("passed after", ready.Reason);
        await EventuallyAsync("worker", "online");
        using (var http = new HttpClient())
            Assert.Equal("ok", await http.GetStringAsync($"http://127.0.0.1:{port}/"));
        var heard = Path.Combine(_sup.Apps, "events.txt");
        Assert.True(await Eventually.TrueAsync(() => Task.FromResult(File.Exists(heard) && File.ReadAllText(heard).Contains("ready web")), Patience),
            "the ready event reached the notify: exec target");
    }

    [Fact(Timeout = 120_000)]
    public async Task Sup_start_waits_for_a_tcp_check_and_returns_with_the_app_online()
    {
        var port = FreePort();
        var file = _sup.WriteFile("ecosystem.yaml", $"""
            apps:
              - name: db
                command: {TestAppCommand("listen-after", "1500", port.ToString())}
                ready: {"{"} tcp: {port} {"}"}
            """);

        var start = await _sup.OkAsync("start", file);

        Assert.Contains("waiting for db to be ready", start.Stderr);
        Assert.Matches(@"db\s+service\s+online", start.Stdout);
        Assert.Equal("online", (await StateAsync("db")).Status);
    }

    [Fact(Timeout = 120_000)]
    public async Task A_log_line_check_holds_the_app_in_starting_until_the_line_is_printed()
    {
        _sup.WriteFile("server.sh", "#!/bin/sh\necho booting\nwhile [ ! -f go ]; do sleep 0.05; done\necho 'server started on port 8080' >&2\nexec sleep 300\n");
        var file = _sup.WriteFile("ecosystem.yaml", """
            apps:
              - { name: server, script: ./server.sh, ready: { log: 'started on port \d+' } }
            """);

        await _sup.OkAsync("start", file, "--no-wait");

        var starting = await StateAsync("server");
        Assert.Equal(("starting", true), (starting.Status, starting.Reason.Contains("waiting for a log line matching")));
        Assert.True(await Eventually.TrueAsync(() => Task.FromResult(_sup.ReadLog("server").Contains("booting")), Patience));
        Assert.Equal("starting", (await StateAsync("server")).Status); // a line that does not match

        File.WriteAllText(Path.Combine(_sup.Apps, "go"), "");
        var online = await EventuallyAsync("server", "online");
        Assert.Contains("ready: a log line matching /started on port \\d+/ passed after", online.Reason);
        Assert.Contains("server started on port 8080", _sup.ReadLog("server", "err"));
    }

    [Fact(Timeout = 120_000)]
    public async Task An_sd_notify_app_is_online_once_it_sends_READY_1_to_its_NOTIFY_SOCKET()
    {
        var file = _sup.WriteFile("ecosystem.yaml", $"""
            apps:
              - name: notifier
                command: {TestAppCommand("notify-ready-after", "1500")}
                ready: {"{"} notify: true {"}"}
            """);

        var start = await _sup.OkAsync("start", file);

        Assert.Matches(@"notifier\s+service\s+online", start.Stdout);
        Assert.Contains("READY=1 on NOTIFY_SOCKET passed after", (await StateAsync("notifier")).Reason);
        Assert.Contains("sent READY=1", _sup.ReadLog("notifier"));
    }

    [Fact(Timeout = 120_000)]
    public async Task An_app_not_ready_within_ready_timeout_is_a_failed_start_and_sup_start_says_so()
    {
        var port = FreePort();
        _sup.WriteFile("run.sh", "#!/bin/sh\nexec sleep 300\n");
        var file = _sup.WriteFile("ecosystem.yaml", $"""
            apps:
              - {"{"} name: web, script: ./run.sh, ready: {"{"} tcp: {port} {"}"}, ready_timeout: 1s, max_restarts: 1 {"}"}
            """);

        var start = await _sup.SupAsync("start", file);

        Assert.Equal(1, start.ExitCode);
        var expected = $"not ready: web is errored: ready: tcp 127.0.0.1:{port} did not pass within 1s (last: refused the connection)";
        Assert.True(start.Stderr.Contains(expected, StringComparison.Ordinal), $"sup start's stderr lacks \"{expected}\"; it was:\n{start.Stderr}");
        Assert.DoesNotContain("   at ", start.Stderr);
        Assert.Contains($"web: ready: tcp 127.0.0.1:{port} did not pass within 1s", _sup.DaemonLog);
    }
}
