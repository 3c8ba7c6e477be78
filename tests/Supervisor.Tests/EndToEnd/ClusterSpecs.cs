using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Supervisor.Tests.TestSupport;
using Xunit;

namespace Supervisor.Tests.EndToEnd;

/// <summary>
/// PM2's cluster mode (exec_mode: cluster): Node workers forked by sup's cluster primary share
/// one HTTP port, a killed worker is replaced while the others keep serving, a reload replaces
/// them one by one without a refused request, scale resizes, stop leaves nothing behind.
/// These need node: without it on PATH they fail, saying so (never skipped).
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class ClusterSpecs : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private readonly SupHome _sup = SupHome.Create();
    private readonly int _port = FreePort();

    public Task InitializeAsync() => Task.CompletedTask;
    public async Task DisposeAsync() => await _sup.DisposeAsync();

    [Fact(Timeout = 180_000)]
    public async Task Two_node_workers_serve_one_port_and_a_killed_one_is_replaced_while_the_other_answers()
    {
        await StartClusterAsync(instances: 2);
        var workers = await OnlineWorkersAsync(2);
        Assert.Equal(["web-0", "web-1"], workers.Select(w => w.Name));
        Assert.All(workers, w => Assert.Equal("cluster", w.ExecMode));
        Assert.NotEqual(workers[0].Pid, workers[1].Pid);

        // Both workers answer on the one port (Node's primary hands connections round-robin).
        var answering = await Eventually.ValueAsync(async () =>
        {
            // A worker is online once forked, and answers once it listens: until then a try fails.
            var seen = new HashSet<int>();
            for (var i = 0; i < 8; i++)
            {
                if (await TryGetAsync(TimeSpan.FromSeconds(2)) is { } reply) seen.Add(reply.Pid);
            }
            return seen;
        }, seen => seen.SetEquals(workers.Select(w => w.Pid)), Patience, "both workers to answer on the port");
        Assert.Equal(2, answering.Count);

        System.Diagnostics.Process.GetProcessById(workers[0].Pid).Kill();

        // The port still answers, from the worker that lives. (A connection the primary handed to
        // the worker in the instant it died is lost with it, as under PM2: hence short tries.)
        var reply = await Eventually.ValueAsync(() => TryGetAsync(TimeSpan.FromSeconds(2)), r => r is { Body: "ok" }, Patience, "an answer on the port");
        Assert.NotEqual(workers[0].Pid, reply!.Pid);
        var replaced = await Eventually.ValueAsync(() => WorkersAsync(),
            rows => rows.Length == 2 && rows[0].Pid is not 0 && rows[0].Pid != workers[0].Pid && rows.All(r => r.Status == "online"),
            Patience, "a new worker in slot 0");
        Assert.Equal(workers[1].Pid, replaced[1].Pid);
        Assert.Equal(1, replaced[0].Restarts);
        Assert.Equal(0, replaced[1].Restarts);
        Assert.False(Processes.IsAlive(workers[0].Pid));
        Assert.Equal("0", (await GetFromAsync(replaced[0].Pid)).Instance);
        Assert.Contains("NODE_APP_INSTANCE=1", (await _sup.OkAsync("env", "web-1")).Stdout.Split('\n'));
    }

    [Fact(Timeout = 180_000)]
    public async Task Reload_replaces_every_worker_one_by_one_and_no_request_is_refused()
    {
        await StartClusterAsync(instances: 2);
        var before = await OnlineWorkersAsync(2);
        // Online is forked; the load starts once the port answers (a worker listens).
        await Eventually.ValueAsync(() => TryGetAsync(TimeSpan.FromSeconds(2)), r => r is not null, Patience, "the port to answer");

        using var stop = new CancellationTokenSource();
        var failures = 0;
        var served = 0;
        var load = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                try { await GetAsync(); served++; }
                catch (Exception e) when (e is HttpRequestException or IOException or TaskCanceledException) { failures++; }
            }
        });
        var reload = await _sup.SupWithTimeoutAsync(TimeSpan.FromSeconds(90), "reload", "web");
        await stop.CancelAsync();
        await load;

        Assert.True(reload.ExitCode == 0, reload.ToString());
        var after = await OnlineWorkersAsync(2);
        Assert.Empty(after.Select(w => w.Pid).Intersect(before.Select(w => w.Pid)));
        Assert.All(before, w => Assert.False(Processes.IsAlive(w.Pid)));
        Assert.True(served > 0, "requests were made during the reload");
        Assert.Equal(0, failures);
    }

    [Fact(Timeout = 180_000)]
    public async Task Scale_forks_and_stops_workers_and_stop_leaves_no_process_behind()
    {
        await StartClusterAsync(instances: 2);
        await OnlineWorkersAsync(2);

        await _sup.OkAsync("scale", "web", "3");
        var three = await OnlineWorkersAsync(3);
        await _sup.OkAsync("scale", "web", "-2");
        var one = await OnlineWorkersAsync(1);
        Assert.Equal(three[0].Pid, one[0].Pid);
        Assert.True(await Processes.AllGoneAsync(three.Skip(1).Select(w => w.Pid), Patience), "scaled-away workers are gone");

        var primary = (await _sup.OkAsync("describe", "web", "--json")).Stdout;
        var primaryPid = JsonDocument.Parse(primary).RootElement.GetProperty("app").GetProperty("pid").GetInt32();
        await _sup.OkAsync("stop", "web-0");

        var rows = await WorkersAsync();
        Assert.All(rows, r => Assert.Equal("stopped", r.Status));
        Assert.True(await Processes.AllGoneAsync([primaryPid, one[0].Pid], Patience), "the primary and its worker are gone");
    }

    [Fact(Timeout = 120_000)]
    public async Task A_shell_script_in_cluster_mode_is_warned_about_and_runs_as_separate_instances()
    {
        _sup.WriteFile("run.sh", "#!/bin/sh\nexec sleep 300\n");
        var start = await _sup.OkAsync("start", _sup.WriteFile("ecosystem.yaml",
            "apps:\n  - name: sh\n    script: ./run.sh\n    exec_mode: cluster\n    instances: 2\n"));

        Assert.Contains("exec_mode: cluster is Node's cluster module", start.Stderr);
        Assert.Contains("SO_REUSEPORT", start.Stderr);
        var apps = await _sup.ListAsync();
        Assert.Equal(["sh-0", "sh-1"], apps.Select(a => a.GetProperty("name").GetString()));
        Assert.All(apps, a => Assert.Equal("fork", a.GetProperty("exec_mode").GetString()));
    }

    private async Task StartClusterAsync(int instances)
    {
        RequireNode();
        // Each worker answers with its pid and NODE_APP_INSTANCE; "ok" once it is up.
        _sup.WriteFile("server.js", $$"""
            const http = require('http');
            http.createServer((req, res) => {
              res.setHeader('Connection', 'close');
              res.end(`ok ${process.pid} ${process.env.NODE_APP_INSTANCE}\n`);
            }).listen({{_port}}, '127.0.0.1');
            """);
        await _sup.OkAsync("start", _sup.WriteFile("ecosystem.yaml",
            $"apps:\n  - name: web\n    script: ./server.js\n    exec_mode: cluster\n    instances: {instances}\n"));
    }

    /// <summary>This machine and CI have node; a machine without it fails here, saying what is missing.</summary>
    private static void RequireNode()
    {
        var found = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Any(dir => File.Exists(Path.Combine(dir, "node")));
        Assert.True(found, "node is needed on PATH for the cluster-mode specs (exec_mode: cluster runs Node's cluster module); install Node.js.");
    }

    private sealed record Worker(string Name, string Status, int Pid, int Restarts, string ExecMode);

    private async Task<Worker[]> WorkersAsync() =>
        [.. (await _sup.ListAsync()).Where(a => a.GetProperty("name").GetString()!.StartsWith("web-", StringComparison.Ordinal)).Select(a => new Worker(
            a.GetProperty("name").GetString()!,
            a.GetProperty("status").GetString()!,
            a.GetProperty("pid").ValueKind == JsonValueKind.Number ? a.GetProperty("pid").GetInt32() : 0,
            a.GetProperty("restarts").GetInt32(),
            a.GetProperty("exec_mode").GetString()!))];

    private async Task<Worker[]> OnlineWorkersAsync(int count) =>
        await Eventually.ValueAsync(() => WorkersAsync(),
            rows => rows.Length == count && rows.All(r => r.Status == "online" && r.Pid != 0),
            Patience, $"{count} online workers (daemon.log: {_sup.DaemonLog[^Math.Min(_sup.DaemonLog.Length, 2000)..]}; app log: {_sup.ReadLog("web")}{_sup.ReadLog("web", "err")})");

    private sealed record Reply(string Body, int Pid, string Instance);

    private async Task<Reply?> TryGetAsync(TimeSpan timeout)
    {
        try { return await GetAsync(timeout); }
        catch (Exception e) when (e is HttpRequestException or IOException or TaskCanceledException) { return null; }
    }

    private async Task<Reply> GetAsync(TimeSpan? timeout = null)
    {
        using var http = new HttpClient { Timeout = timeout ?? TimeSpan.FromSeconds(10) };
        var text = (await http.GetStringAsync($"http://127.0.0.1:{_port}/")).Trim().Split(' ');
        return new Reply(text[0], int.Parse(text[1]), text[2]);
    }

    /// <summary>A reply from the worker <paramref name="pid"/> (round-robin gets there within a few requests).</summary>
    private async Task<Reply> GetFromAsync(int pid) =>
        await Eventually.ValueAsync(() => GetAsync(), r => r.Pid == pid, Patience, $"a reply from worker {pid}");

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
