using Supervisor.Tests.TestSupport;
using Xunit;

namespace Supervisor.Tests.EndToEnd;

/// <summary>
/// A PM2 user's `ecosystem.config.js`, unchanged, through the real CLI and daemon: it starts what
/// PM2 would start (no node on the way), (`StartCommand.IsEcosystemFile` tells it from a script as PM2 does).
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class Pm2JsFileSpecs : IAsyncLifetime
{
    private readonly SupHome _sup = SupHome.Create();

    public Task InitializeAsync() => Task.CompletedTask;
    public async Task DisposeAsync() => await _sup.DisposeAsync();

    [Fact]
    public async Task Sup_start_of_an_ecosystem_config_js_runs_its_apps_with_the_env_it_computes()
    {
        _sup.WriteFile("server.sh", "#!/bin/sh\necho \"port=$PORT mode=$MODE\"\nexec sleep 1000\n");
        var file = _sup.WriteFile("ecosystem.config.js", """
            const path = require('path');
            const base = { script: path.join(__dirname, 'server.sh'), env: { ...process.env, MODE: 'dev' }, env_production: { MODE: 'prod' } };
            module.exports = {
              apps: [1, 2].map(n => ({ name: `web-${n}`, ...base, env: { ...base.env, PORT: 3000 + n } })),
            };
            """);

        var start = await _sup.OkAsync("start", file, "--env", "production", "--only", "web-2");

        Assert.Contains("started    web-2", start.Stdout);
        Assert.DoesNotContain("web-1", start.Stdout);
        Assert.True(await Eventually.TrueAsync(() => Task.FromResult(_sup.ReadLog("web-2").Contains("port=3002 mode=prod")), TimeSpan.FromSeconds(15)),
            _sup.ReadLog("web-2"));
        var describe = await _sup.OkAsync("describe", "web-2");
        // {...process.env} did not copy the daemon's environment into the app: only what the file set.
        Assert.DoesNotContain("SUP_HOME", describe.Stdout);
        Assert.DoesNotContain(" PATH ", describe.Stdout);
    }

    [Fact]
    public async Task A_js_file_that_throws_is_one_line_at_the_js_line_and_starts_nothing()
    {
        var file = _sup.WriteFile("ecosystem.config.js", "const port = process.env.NO_SUCH_PORT;\nif (!port) throw new Error('set NO_SUCH_PORT first');\n");

        var start = await _sup.SupAsync("start", file);

        Assert.NotEqual(0, start.ExitCode);
        Assert.Contains($"{file}:2:", start.Stderr);
        Assert.Contains("set NO_SUCH_PORT first", start.Stderr);
        Assert.DoesNotContain("   at ", start.Stderr);
        Assert.Empty(await _sup.ListAsync());
    }

    [Fact]
    public async Task Dry_run_prints_the_plan_and_each_warning_once_and_starts_nothing()
    {
        _sup.WriteFile("server.sh", "#!/bin/sh\nexec sleep 1000\n");
        var file = _sup.WriteFile("ecosystem.config.js", """
            module.exports = { apps: [
              { name: 'api', script: './server.sh', vizion: false },
              { name: 'feed', script: './server.sh' },
            ] };
            """);

        var plan = await _sup.OkAsync("start", file, "--dry-run");

        var api = plan.Stdout.Split('\n').Single(l => l.StartsWith("would start  api "));
        Assert.EndsWith(Path.Combine(_sup.Apps, "server.sh"), api.TrimEnd());
        Assert.Contains("would start  feed", plan.Stdout);
        var warnings = plan.Stderr.Split('\n').Where(l => l.Contains("warning:")).ToList();
        Assert.Single(warnings);
        Assert.Contains("apps[0] (api).vizion", warnings[0]);
        Assert.Contains("2 apps, 1 warning; nothing was started (--dry-run).", plan.Stdout);
        Assert.Null(_sup.DaemonPid);
    }
}
