using Xunit;
using System.Diagnostics;
using System.Text.Json;
using Supervisor.Tests.TestSupport;

namespace Supervisor.Tests.EndToEnd;

/// <summary>save, resurrect (after the daemon went away), desired state, --update-env: what survives a daemon.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class LifecycleSpecs : IAsyncLifetime
{
    private readonly SupHome _sup = SupHome.Create();

    public Task InitializeAsync() => Task.CompletedTask;
    public async Task DisposeAsync() => await _sup.DisposeAsync();

    private const string Loop = "#!/bin/sh\necho \"started TAG=$TAG GREETING=$GREETING\"\nwhile true; do sleep 1; done\n";

    private string Ecosystem(string body) => _sup.WriteFile("ecosystem.yaml", body);

    private string Dump => Path.Combine(_sup.Home, "dump.yaml");

    private async Task<Dictionary<string, JsonElement>> AppsAsync() =>
        (await _sup.ListAsync()).ToDictionary(a => a.GetProperty("name").GetString()!);

    private async Task<string?> SourceOfAsync(string app)
    {
        var describe = await _sup.OkAsync("describe", app, "--json");
        return JsonDocument.Parse(describe.Stdout).RootElement.GetProperty("source_file").GetString();
    }

    private async Task KillDaemonAsync()
    {
        var daemon = _sup.DaemonPid!.Value;
        await _sup.OkAsync("kill");
        Assert.True(await Processes.AllGoneAsync([daemon], TimeSpan.FromSeconds(15)), "the daemon exits");
    }

    private static int Count(string text, string part) => text.Split(part).Length - 1;

    [Fact]
    public async Task Save_then_kill_then_resurrect_brings_back_every_app_with_its_env_source_and_job_flag()
    {
        _sup.WriteFile("loop.sh", Loop);
        var file = Ecosystem("""
            apps:
              - name: svc
                script: ./loop.sh
                env: { TAG: from-file }
              - name: tick
                command: "echo tick"
                every: 1h
            """);
        await _sup.OkAsync("start", file);
        await _sup.OkAsync("start", Path.Combine(_sup.Apps, "loop.sh"), "--name", "adhoc");
        await _sup.OkAsync("disable", "tick");
        var before = await AppsAsync();

        var save = await _sup.OkAsync("save");

        Assert.Contains($"Saved 3 app(s) to {Dump}", save.Stdout);
        var dump = File.ReadAllText(Dump);
        Assert.Contains("TAG: from-file", dump);
        Assert.Contains("enabled: false", dump);

        await KillDaemonAsync();
        Assert.True(await Processes.AllGoneAsync(before.Values.Where(a => a.GetProperty("pid").ValueKind == JsonValueKind.Number)
            .Select(a => a.GetProperty("pid").GetInt32()), TimeSpan.FromSeconds(10)));

        var resurrect = await _sup.OkAsync("resurrect");

        Assert.Contains("started    svc", resurrect.Stdout);
        Assert.Contains("started    adhoc", resurrect.Stdout);
        var after = await AppsAsync();
        Assert.Equal(["svc", "tick", "adhoc"], after.Keys);
        Assert.Equal("online", after["svc"].GetProperty("status").GetString());
        Assert.Equal("online", after["adhoc"].GetProperty("status").GetString());
        Assert.Equal("disabled", after["tick"].GetProperty("status").GetString());
        Assert.NotEqual(before["svc"].GetProperty("pid").GetInt32(), after["svc"].GetProperty("pid").GetInt32());
        Assert.True(await Eventually.TrueAsync(() => Task.FromResult(Count(_sup.ReadLog("svc"), "started TAG=from-file") == 2), TimeSpan.FromSeconds(10)),
            "svc started again with the env it was saved with: " + _sup.ReadLog("svc"));
        Assert.Equal(file, await SourceOfAsync("svc"));
        Assert.Null(await SourceOfAsync("adhoc"));
    }

    [Fact]
    public async Task A_saved_set_moved_to_another_sup_home_keeps_its_disabled_job_disabled()
    {
        _sup.WriteFile("tick.sh", "#!/bin/sh\necho tick\n");
        await _sup.OkAsync("start", Ecosystem("apps:\n  - name: tick\n    script: ./tick.sh\n    every: 1h\n"));
        await _sup.OkAsync("disable", "tick");
        await _sup.OkAsync("save");
        await using var other = SupHome.Create();
        Directory.CreateDirectory(other.Home);
        File.Copy(Dump, Path.Combine(other.Home, "dump.yaml"));

        await other.OkAsync("resurrect");

        Assert.Equal("disabled", (await other.AppAsync("tick")).GetProperty("status").GetString());
    }

    [Fact]
    public async Task An_app_the_user_stopped_stays_stopped_after_the_daemon_restarts_until_the_user_starts_it()
    {
        _sup.WriteFile("loop.sh", Loop);
        await _sup.OkAsync("start", Ecosystem("apps:\n  - name: keep\n    script: ./loop.sh\n  - name: halt\n    script: ./loop.sh\n"));
        await _sup.OkAsync("save");
        await _sup.OkAsync("stop", "halt");
        await KillDaemonAsync();

        var resurrect = await _sup.OkAsync("resurrect");

        Assert.Contains("started    keep", resurrect.Stdout);
        Assert.Contains("stopped    halt", resurrect.Stdout);
        var apps = await AppsAsync();
        Assert.Equal(["keep", "halt"], apps.Keys);
        Assert.Equal("online", apps["keep"].GetProperty("status").GetString());
        Assert.Equal("stopped", apps["halt"].GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, apps["halt"].GetProperty("pid").ValueKind);
        Assert.Equal(1, Count(_sup.ReadLog("halt"), "started"));

        // Started again by the user, it is wanted running from then on.
        await _sup.OkAsync("restart", "halt");
        await _sup.OkAsync("save");
        Assert.DoesNotContain("autostart", File.ReadAllText(Dump));
        await KillDaemonAsync();
        await _sup.OkAsync("resurrect");
        Assert.Equal("online", (await _sup.AppAsync("halt")).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Resurrect_leaves_apps_the_daemon_already_runs_alone()
    {
        _sup.WriteFile("loop.sh", Loop);
        await _sup.OkAsync("start", Ecosystem("apps:\n  - name: svc\n    script: ./loop.sh\n"));
        await _sup.OkAsync("save");
        var pid = (await _sup.AppAsync("svc")).GetProperty("pid").GetInt32();

        var resurrect = await _sup.OkAsync("resurrect");

        Assert.Contains("present    svc", resurrect.Stdout);
        Assert.Equal(pid, (await _sup.AppAsync("svc")).GetProperty("pid").GetInt32());
        Assert.Single(await _sup.ListAsync());
    }

    [Fact]
    public async Task A_corrupt_dump_is_one_clear_error_and_the_last_good_backup_is_never_lost()
    {
        _sup.WriteFile("loop.sh", Loop);
        await _sup.OkAsync("start", Ecosystem("apps:\n  - name: svc\n    script: ./loop.sh\n"));
        await _sup.OkAsync("save");
        var second = await _sup.OkAsync("save");
        Assert.Contains("dump.yaml.bak", second.Stdout);
        var backup = Dump + ".bak";
        var good = File.ReadAllText(backup);
        File.WriteAllText(Dump, "apps:\n  - name: svc\n    script: [unclosed\n");
        await KillDaemonAsync();

        var resurrect = await _sup.SupAsync("resurrect");

        Assert.Equal(5, resurrect.ExitCode);
        var lines = resurrect.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal($"The saved app set {Dump} does not load, so nothing was resurrected. The previous save is kept in {backup}: copy it over dump.yaml to use it.", lines[0]);
        Assert.StartsWith($"  {Dump}:", lines[1]);
        Assert.Contains("This is not valid YAML", lines[1]);
        Assert.DoesNotContain("   at ", resurrect.Stderr);
        Assert.Empty(await _sup.ListAsync());
        Assert.Equal(good, File.ReadAllText(backup));

        // A save over the broken dump does not make the broken one the backup.
        await _sup.OkAsync("start", Path.Combine(_sup.Apps, "loop.sh"), "--name", "fresh");
        var save = await _sup.OkAsync("save");
        Assert.DoesNotContain(".bak", save.Stdout);
        Assert.Equal(good, File.ReadAllText(backup));
        Assert.Contains("name: fresh", File.ReadAllText(Dump));
    }

    [Fact]
    public async Task Resurrect_without_a_saved_set_says_how_to_make_one()
    {
        var resurrect = await _sup.SupAsync("resurrect");

        Assert.NotEqual(0, resurrect.ExitCode);
        Assert.Equal($"There is no saved app set at {Dump}; `sup save` writes one from the running apps.", resurrect.Stderr.Trim());
    }

    [Fact]
    public async Task Saving_no_apps_is_refused_unless_forced()
    {
        var save = await _sup.SupAsync("save");

        Assert.NotEqual(0, save.ExitCode);
        Assert.Contains("There are no apps to save", save.Stderr);
        Assert.False(File.Exists(Dump));
        await _sup.OkAsync("save", "--force");
        Assert.Contains("apps: []", File.ReadAllText(Dump));
    }

    [Fact]
    public async Task The_boot_command_daemon_resurrect_starts_the_saved_set()
    {
        _sup.WriteFile("loop.sh", Loop);
        await _sup.OkAsync("start", Ecosystem("apps:\n  - name: svc\n    script: ./loop.sh\n"));
        await _sup.OkAsync("save");
        await KillDaemonAsync();

        // What a boot unit runs: the daemon in the foreground.
        var info = new ProcessStartInfo(SupHome.Cli.FileName, SupHome.Cli.Prefix) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add("daemon");
        info.ArgumentList.Add("--resurrect");
        info.Environment["SUP_HOME"] = _sup.Home;
        using var daemon = Process.Start(info)!;
        daemon.OutputDataReceived += (_, _) => { };
        daemon.ErrorDataReceived += (_, _) => { };
        daemon.BeginOutputReadLine();
        daemon.BeginErrorReadLine();
        try
        {
            var app = await Eventually.ValueAsync(async () => (await _sup.SupAsync("ls", "--json")).Stdout,
                json => json.Contains("\"online\"", StringComparison.Ordinal), TimeSpan.FromSeconds(20), "svc online");
            Assert.Contains("\"svc\"", app);
            Assert.Equal(daemon.Id, _sup.DaemonPid);
            Assert.Contains("resurrected from", _sup.DaemonLog);
        }
        finally
        {
            await _sup.SupAsync("kill");
            if (!daemon.WaitForExit(TimeSpan.FromSeconds(15))) daemon.Kill(entireProcessTree: true);
        }
    }

    [Fact]
    public async Task Restart_with_update_env_takes_the_shells_variables_under_the_apps_own_env()
    {
        _sup.WriteFile("loop.sh", Loop);
        await _sup.OkAsync("start", Ecosystem("apps:\n  - name: svc\n    script: ./loop.sh\n    env: { TAG: file }\n"));
        var timeout = TimeSpan.FromSeconds(60);

        await _sup.SupWithEnvironmentAsync(timeout, new Dictionary<string, string> { ["GREETING"] = "hello", ["TAG"] = "shell" }, "restart", "svc", "--update-env");

        Assert.True(await Eventually.TrueAsync(() => Task.FromResult(_sup.ReadLog("svc").Contains("started TAG=file GREETING=hello")), TimeSpan.FromSeconds(10)),
            "the shell's GREETING arrives, the app's own TAG wins: " + _sup.ReadLog("svc"));

        // A plain restart keeps what --update-env gave; the shell's new value is not taken.
        await _sup.SupWithEnvironmentAsync(timeout, new Dictionary<string, string> { ["GREETING"] = "ignored" }, "restart", "svc");
        Assert.True(await Eventually.TrueAsync(() => Task.FromResult(Count(_sup.ReadLog("svc"), "GREETING=hello") == 2), TimeSpan.FromSeconds(10)));

        // A second --update-env: the newest shell wins over the first one.
        await _sup.SupWithEnvironmentAsync(timeout, new Dictionary<string, string> { ["GREETING"] = "bye" }, "restart", "svc", "--update-env");
        Assert.True(await Eventually.TrueAsync(() => Task.FromResult(_sup.ReadLog("svc").Contains("started TAG=file GREETING=bye")), TimeSpan.FromSeconds(10)),
            _sup.ReadLog("svc"));
        Assert.DoesNotContain("ignored", _sup.ReadLog("svc"));
    }
}
