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
        _sup.WriteFile("web/server.sh", "#!/bin/sh\nwhile true; do echo \"tick $$\"; echo \"warn $$\" >&2; sleep 0.5; done\n");
        var file = _sup.WriteFile("web/ecosystem.config.js", """
            module.exports = { apps: [{
              name: 'web', script: './server.sh', watch: true, watch_delay: 200,
              out_file: './web-out.log', error_file: './web-err.log', log_file: './web-all.log', pid_file: './web.pid',
            }] };
            """);
        await _sup.OkAsync("start", file);
        var outLog = Path.Combine(_sup.Apps, "web", "web-out.log");
        var first = await Eventually.ValueAsync(() => _sup.AppAsync("web"), a => Pid(a) > 0, Patience, "web online");

        // Its own out, err, combined log and PID file change under the watched folder, each write
        // followed by more quiet than watch_delay: were they not ignored, each would restart it.
        Assert.True(await Eventually.TrueAsync(() => Task.FromResult(File.ReadAllText(outLog).Split('\n').Length > 8), Patience), File.ReadAllText(outLog));
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
    [Fact(Timeout = 90_000)]
    public async Task Pm2_flags_of_start_script_become_its_keys_and_args_after_double_dash_reach_the_app()
    {
        _sup.WriteFile("srv.sh", "#!/bin/sh\necho \"inst=$NODE_APP_INSTANCE args=$*\"\nexec sleep 300\n");

        var start = await _sup.OkAsync("start", "srv.sh", "--name", "web", "-i", "2", "--time", "--no-autorestart", "--cron-restart", "0 0 * * *", "--", "--flag");

        Assert.Contains("web-0", start.Stdout);
        Assert.Contains("web-1", start.Stdout);
        Assert.True(await Eventually.TrueAsync(() => Task.FromResult(_sup.ReadLog("web-1").Contains(": inst=1 args=--flag")), Patience), _sup.ReadLog("web-1"));
        var describe = (await _sup.OkAsync("describe", "web-0")).Stdout;
        Assert.Matches(@"autorestart\s+false\s+cli", describe);
        Assert.Matches(@"cron_restart\s+0 0 \* \* \*\s+cli", describe);
    }

    [Fact(Timeout = 90_000)]
    public async Task An_unknown_flag_before_double_dash_is_a_usage_error_and_starts_nothing()
    {
        _sup.WriteFile("srv.sh", "#!/bin/sh\nexec sleep 300\n");

        var start = await _sup.SupAsync("start", "srv.sh", "--name", "web", "--nmae", "x");

        Assert.Equal(2, start.ExitCode);
        Assert.Contains("Unrecognized option '--nmae' for sup start", start.Stderr);
        Assert.DoesNotContain("   at ", start.Stderr);
        var file = _sup.WriteFile("process.yml", "apps:\n  - { name: web, script: ./srv.sh }\n");
        var onFile = await _sup.SupAsync("start", file, "--watch");
        Assert.Equal(2, onFile.ExitCode);
        Assert.Contains("write them as keys in the file", onFile.Stderr);
        Assert.Null(_sup.DaemonPid);
    }

    [Fact(Timeout = 90_000)]
    public async Task A_command_line_as_the_script_runs_as_pm2_runs_it()
    {
        var start = await _sup.OkAsync("start", "sh -c 'echo hello from $0; exec sleep 300'", "--name", "web");

        Assert.Contains("web", start.Stdout);
        Assert.True(await Eventually.TrueAsync(() => Task.FromResult(_sup.ReadLog("web").Contains("hello from sh")), Patience), _sup.ReadLog("web"));
    }
}
