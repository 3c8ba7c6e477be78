using System.Text.Json;
using Supervisor.Tests.TestSupport;
using Xunit;

namespace Supervisor.Tests.EndToEnd;

/// <summary>
/// PM2 keys whose point is running behaviour, through the real CLI and daemon: watch restarts
/// on a change and not on the app's own log writes; cron_restart runs an app with autorestart:
/// false on schedule; merge_logs makes instances share a file; log_file holds both streams.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class Pm2KeySpecs : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private readonly SupHome _sup = SupHome.Create();

    public Task InitializeAsync() => Task.CompletedTask;
    public async Task DisposeAsync() => await _sup.DisposeAsync();

    private static int Pid(JsonElement app) => app.GetProperty("pid").ValueKind == JsonValueKind.Number ? app.GetProperty("pid").GetInt32() : 0;

    [Fact(Timeout = 90_000)]
    public async Task Watch_restarts_on_a_change_to_a_watched_file_and_not_on_its_own_log_writes()
    {
        _sup.WriteFile("web/src/app.js", "v1\n");
        _sup.WriteFile("web/server.sh", "#!/bin/sh\nwhile true; do echo \"tick $$\"; echo \"warn $$\" >&2; sleep 0.1; done\n");
        var file = _sup.WriteFile("web/ecosystem.config.js", """
            module.exports = { apps: [{
              name: 'web', script: './server.sh', watch: true, watch_delay: 200,
              out_file: './web-out.log', error_file: './web-err.log', log_file: './web-all.log', pid_file: './web.pid',
            }] };
            """);
        await _sup.OkAsync("start", file);
        var outLog = Path.Combine(_sup.Apps, "web", "web-out.log");
        var first = await Eventually.ValueAsync(() => _sup.AppAsync("web"), a => Pid(a) > 0, Patience, "web online");

        // Its own out, err, combined log and PID file change all the time under the watched folder.
        Assert.True(await Eventually.TrueAsync(() => Task.FromResult(File.ReadAllText(outLog).Split('\n').Length > 30), Patience), File.ReadAllText(outLog));
        var still = await _sup.AppAsync("web");
        Assert.Equal(Pid(first), Pid(still));
        Assert.Equal(0, still.GetProperty("restarts").GetInt32());

        File.WriteAllText(Path.Combine(_sup.Apps, "web", "src", "app.js"), "v2\n");

        var restarted = await Eventually.ValueAsync(() => _sup.AppAsync("web"), a => Pid(a) > 0 && Pid(a) != Pid(first), Patience, "web restarted by the change");
        Assert.Equal(1, restarted.GetProperty("restarts").GetInt32());
        var combined = File.ReadAllText(Path.Combine(_sup.Apps, "web", "web-all.log"));
        Assert.Contains($"tick {Pid(first)}", combined);
        Assert.Contains($"warn {Pid(first)}", combined);
    }

    [Fact(Timeout = 90_000)]
    public async Task Cron_restart_with_autorestart_false_runs_the_app_at_every_occurrence()
    {
        _sup.WriteFile("once.sh", "#!/bin/sh\necho \"ran $$\"\n");
        var file = _sup.WriteFile("process.yml", "apps:\n  - name: once\n    script: ./once.sh\n    autorestart: false\n    cron_restart: \"*/2 * * * * *\"\n");

        await _sup.OkAsync("start", file);

        Assert.True(await Eventually.TrueAsync(
            () => Task.FromResult(_sup.ReadLog("once").Split('\n').Count(l => l.StartsWith("ran ", StringComparison.Ordinal)) >= 3), Patience),
            _sup.ReadLog("once"));
    }

    [Fact(Timeout = 90_000)]
    public async Task Merge_logs_makes_instances_share_one_log_file_as_in_pm2()
    {
        _sup.WriteFile("api.sh", "#!/bin/sh\necho \"instance $NODE_APP_INSTANCE\"\nexec sleep 300\n");
        var file = _sup.WriteFile("process.json", """
            { "apps": [{ "name": "api", "script": "./api.sh", "instances": 2, "merge_logs": true, "combine_logs": true }] }
            """);

        await _sup.OkAsync("start", file);

        Assert.True(await Eventually.TrueAsync(
            () => Task.FromResult(_sup.ReadLog("api").Contains("instance 0") && _sup.ReadLog("api").Contains("instance 1")), Patience),
            _sup.ReadLog("api"));
        Assert.False(File.Exists(Path.Combine(_sup.Home, "logs", "api-0-out.log")));
    }
}
