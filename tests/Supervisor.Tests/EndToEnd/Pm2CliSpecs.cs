using System.Text.Json;
using Supervisor.Tests.TestSupport;
using Xunit;

namespace Supervisor.Tests.EndToEnd;

/// <summary>
/// The PM2 commands a PM2 user types, through the real CLI and daemon: numeric ids, `env`,
/// `jlist`/`prettylist`, `start NAME`, `reload NAME`, `restart FILE`, `startOrRestart`,
/// `startOrReload`, `scale`, `-v`, and the PM2 verbs sup answers with its own way.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class Pm2CliSpecs : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private readonly SupHome _sup = SupHome.Create();

    public Pm2CliSpecs() => _sup.WriteFile("run.sh", "#!/bin/sh\nexec sleep 300\n");

    public Task InitializeAsync() => Task.CompletedTask;
    public async Task DisposeAsync() => await _sup.DisposeAsync();

    private string File(string yaml) => _sup.WriteFile("ecosystem.yaml", yaml);

    private const string TwoApps = "apps:\n  - name: alpha\n    script: ./run.sh\n    env: { LABEL: inbox, API_TOKEN: s3cret }\n  - name: beta\n    script: ./run.sh\n";

    [Fact(Timeout = 120_000)]
    public async Task Apps_get_numeric_ids_that_every_verb_takes_and_that_survive_save_kill_and_resurrect()
    {
        await _sup.OkAsync("start", File(TwoApps));
        var ids = await IdsAsync();
        Assert.Equal(0, ids["alpha"]);
        Assert.Equal(1, ids["beta"]);

        await _sup.OkAsync("stop", "0");
        Assert.Equal("stopped", Status(await _sup.AppAsync("alpha")));
        Assert.Equal("online", Status(await _sup.AppAsync("beta")));
        Assert.Contains("beta (service) online", (await _sup.OkAsync("describe", "1")).Stdout);
        await _sup.OkAsync("start", "0");
        Assert.Equal("online", Status(await _sup.AppAsync("alpha")));

        await _sup.OkAsync("save");
        await _sup.OkAsync("kill");
        await _sup.OkAsync("resurrect");
        Assert.Equal(ids, await IdsAsync());

        await _sup.OkAsync("delete", "0");
        Assert.Equal(["beta"], (await _sup.ListAsync()).Select(a => a.GetProperty("name").GetString()));
        var unknown = await _sup.SupAsync("stop", "7");
        Assert.Equal(4, unknown.ExitCode);
        Assert.Equal("No app named '7'. `sup ls` lists apps.", unknown.Stderr.Trim());
    }

    [Fact(Timeout = 120_000)]
    public async Task Env_by_id_shows_the_apps_environment_with_secrets_masked()
    {
        await _sup.OkAsync("start", File(TwoApps));

        var env = (await _sup.OkAsync("env", "0")).Stdout.Split('\n');
        var shown = (await _sup.OkAsync("env", "alpha", "--show-secrets")).Stdout.Split('\n');

        Assert.Contains("LABEL=inbox", env);
        Assert.Contains("SUP_APP_NAME=alpha", env);
        Assert.Contains("API_TOKEN=******", env);
        Assert.Contains("API_TOKEN=s3cret", shown);
        Assert.Contains(env, line => line.StartsWith("PATH=", StringComparison.Ordinal));
    }

    [Fact(Timeout = 120_000)]
    public async Task Jlist_and_prettylist_print_pm2s_fields()
    {
        await _sup.OkAsync("start", File(TwoApps));
        await Eventually.ValueAsync(() => _sup.AppAsync("beta"), a => Status(a) == "online", Patience, "beta online");

        var jlist = JsonDocument.Parse((await _sup.OkAsync("jlist")).Stdout).RootElement.EnumerateArray().ToList();
        var pretty = await _sup.OkAsync("prettylist");

        Assert.Equal(["alpha", "beta"], jlist.Select(p => p.GetProperty("name").GetString()));
        var beta = jlist[1];
        Assert.Equal(1, beta.GetProperty("pm_id").GetInt32());
        Assert.True(beta.GetProperty("pid").GetInt32() > 0);
        Assert.Equal("online", beta.GetProperty("pm2_env").GetProperty("status").GetString());
        Assert.Equal("fork_mode", beta.GetProperty("pm2_env").GetProperty("exec_mode").GetString());
        Assert.Equal(0, beta.GetProperty("pm2_env").GetProperty("restart_time").GetInt32());
        Assert.True(beta.GetProperty("monit").TryGetProperty("memory", out _));
        Assert.Contains("\n  {", pretty.Stdout);
        Assert.Equal(2, JsonDocument.Parse(pretty.Stdout).RootElement.GetArrayLength());
    }

    [Fact(Timeout = 120_000)]
    public async Task Start_name_starts_an_autostart_false_app_and_reload_name_restarts_it()
    {
        await _sup.OkAsync("start", File("apps:\n  - name: lazy\n    script: ./run.sh\n    autostart: false\n"));
        Assert.Equal("stopped", Status(await _sup.AppAsync("lazy")));

        await _sup.OkAsync("start", "lazy");
        var first = await Eventually.ValueAsync(() => _sup.AppAsync("lazy"), a => Status(a) == "online", Patience, "lazy online");
        var reload = await _sup.OkAsync("reload", "lazy");
        var second = await _sup.AppAsync("lazy");

        Assert.DoesNotContain("ecosystem", reload.Stderr);
        Assert.Equal("online", Status(second));
        Assert.NotEqual(Pid(first), Pid(second));
    }

    [Fact(Timeout = 120_000)]
    public async Task StartOrRestart_starts_then_restarts_and_restart_file_restarts_the_files_apps()
    {
        var file = File(TwoApps);

        await _sup.OkAsync("startOrRestart", file);
        var started = await PidsAsync();
        var again = await _sup.OkAsync("startOrRestart", file);
        var restarted = await PidsAsync();
        await _sup.OkAsync("restart", file);
        var restartedByFile = await PidsAsync();
        var reload = await _sup.OkAsync("startOrReload", file);
        var reloaded = await PidsAsync();

        Assert.Equal(2, started.Count);
        Assert.Contains("restarted  alpha (was running)", again.Stdout);
        Assert.Contains("reloaded  beta (was running)", reload.Stdout);
        foreach (var name in new[] { "alpha", "beta" })
        {
            Assert.NotEqual(started[name], restarted[name]);
            Assert.NotEqual(restarted[name], restartedByFile[name]);
            Assert.NotEqual(restartedByFile[name], reloaded[name]);
        }
    }

    [Fact(Timeout = 120_000)]
    public async Task Scale_adds_numbered_instances_and_removes_the_highest()
    {
        await _sup.OkAsync("start", File("apps:\n  - name: w\n    script: ./run.sh\n    instances: 2\n"));

        await _sup.OkAsync("scale", "w", "3");
        var three = await _sup.ListAsync();
        var env = (await _sup.OkAsync("env", "w-2")).Stdout.Split('\n');
        await _sup.OkAsync("scale", "w", "1");
        var one = await _sup.ListAsync();
        var single = await _sup.SupAsync("scale", "nope", "2");

        Assert.Equal(["w-0", "w-1", "w-2"], three.Select(a => a.GetProperty("name").GetString()));
        Assert.Contains("NODE_APP_INSTANCE=2", env);
        Assert.Equal(["w-0"], one.Select(a => a.GetProperty("name").GetString()));
        Assert.Equal(4, single.ExitCode);
    }

    [Theory]
    [InlineData("install pm2-logrotate", "log_max_size")]
    [InlineData("set pm2-logrotate:max_size 10M", "pm2-logrotate:max_size is log_max_size")]
    [InlineData("link", "sup monit")]
    [InlineData("deploy production", "sup startOrReload FILE")]
    public async Task Pm2_verbs_sup_has_no_use_for_say_the_sup_way_in_one_line(string command, string expected)
    {
        var result = await _sup.SupAsync(command.Split(' '));

        Assert.NotEqual(0, result.ExitCode);
        var line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(expected, line);
        Assert.Null(_sup.DaemonPid);
    }

    [Fact(Timeout = 60_000)]
    public async Task Dash_v_prints_the_version()
    {
        var v = await _sup.OkAsync("-v");
        var version = await _sup.OkAsync("--version");

        Assert.Equal(version.Stdout, v.Stdout);
        Assert.Matches(@"^\d+\.\d+\.\d+", v.Stdout);
    }

    [Fact(Timeout = 120_000)]
    public async Task Start_file_prints_each_warning_once_and_counts_them()
    {
        var result = await _sup.OkAsync("start", File("apps:\n  - name: a\n    script: ./run.sh\n    vizion: true\n    pmx: true\n"));

        var warnings = result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.Contains("warning:", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, warnings.Count);
        Assert.Equal(2, warnings.Distinct().Count());
        // "ecosystem.yaml:4:5: warning: vizion is ...": the word once, not "warning: ...: warning: ...".
        Assert.All(warnings, w => Assert.Single(w.Split("warning:")[1..]));
        Assert.StartsWith(_sup.Apps, warnings[0]);
        Assert.Contains("2 warnings", result.Stderr.Split('\n'));
    }

    private static string Status(JsonElement app) => app.GetProperty("status").GetString()!;

    private static int Pid(JsonElement app) => app.GetProperty("pid").GetInt32();

    private async Task<Dictionary<string, int>> IdsAsync() =>
        (await _sup.ListAsync()).ToDictionary(a => a.GetProperty("name").GetString()!, a => a.GetProperty("id").GetInt32());

    private async Task<Dictionary<string, int>> PidsAsync() =>
        (await Eventually.ValueAsync(() => _sup.ListAsync(), apps => apps.All(a => Status(a) == "online" && a.GetProperty("pid").ValueKind == JsonValueKind.Number),
            Patience, "every app online"))
        .ToDictionary(a => a.GetProperty("name").GetString()!, Pid);
}
