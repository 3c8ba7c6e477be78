using System.Diagnostics;
using System.Text.Json;
using Supervisor.Tests.TestSupport;
using Xunit;

namespace Supervisor.Tests.EndToEnd;

/// <summary>
/// The plugin-daemon replacement through the real CLI: include: of plugin folders, plugin
/// commands run by services and by a group job (one job per plugin), and a server already
/// running outside sup detected, shown as external, and taken over once it is gone.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class PluginSpecs : IAsyncLifetime
{
    private readonly SupHome _sup = SupHome.Create();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _sup.DisposeAsync();

    private void WritePlugin(string name, string trace)
    {
        _sup.WriteFile($"plugins/{name}/server.sh", "#!/bin/sh\necho \"server of $SUP_PLUGIN_NAME up in $(pwd)\"\nwhile true; do sleep 1; done\n");
        foreach (var step in (string[])["get", "process", "push"])
            _sup.WriteFile($"plugins/{name}/{step}.sh", $"#!/bin/sh\necho \"{name} {step} $SUP_PLUGIN in $(basename $(pwd))\" >> {trace}\n");
        _sup.WriteFile($"plugins/{name}/sup.yaml", $"""
            commands:
              server: ./server.sh
              get: ./get.sh
              process: ./process.sh
              push: ./push.sh
            apps:
              - name: {name}-server
                run: server
                env: {"{"} SUP_PLUGIN_NAME: {name} {"}"}
            """);
    }

    private async Task<JsonElement[]> JobRowsAsync() =>
        JsonDocument.Parse((await _sup.OkAsync("jobs", "--json")).Stdout).RootElement.EnumerateArray().ToArray();

    private async Task<string?> StatusAsync(string app) =>
        (await _sup.ListAsync()).FirstOrDefault(a => a.GetProperty("name").GetString() == app) is { ValueKind: JsonValueKind.Object } row
            ? row.GetProperty("status").GetString()
            : null;

    [Fact]
    public async Task A_plugin_tree_with_two_manifests_and_a_group_job_runs_each_plugin_as_its_own_job()
    {
        var trace = Path.Combine(_sup.Apps, "trace.txt");
        WritePlugin("twitter", trace);
        WritePlugin("instagram", trace);
        var file = _sup.WriteFile("sup.yaml", """
            include: ["plugins/*/sup.yaml", "conf.d/*.yaml"]
            apps:
              - name: social
                group: [twitter, instagram]
                steps: [get, process, push]
                every: 6h
                jitter: 30m
            """);

        var dryRun = await _sup.OkAsync("start", file, "--dry-run");
        Assert.Contains($"included     {Path.Combine(_sup.Apps, "plugins/instagram/sup.yaml")}", dryRun.Stdout);
        Assert.Matches(@"would start +twitter-server +service", dryRun.Stdout);
        Assert.Matches(@"would start +social-instagram +job", dryRun.Stdout);

        await _sup.OkAsync("start", file);

        foreach (var server in (string[])["twitter-server", "instagram-server"])
            Assert.Equal("online", await Eventually.ValueAsync(() => StatusAsync(server), s => s == "online", TimeSpan.FromSeconds(20), server + " online"));
        Assert.True(await Eventually.TrueAsync(() => Task.FromResult(_sup.ReadLog("twitter-server").Contains("server of twitter up in " + Path.Combine(_sup.Apps, "plugins/twitter"))), TimeSpan.FromSeconds(20)),
            "the server runs in its plugin folder: " + _sup.ReadLog("twitter-server"));

        var rows = await JobRowsAsync();
        Assert.Equal(["social-instagram", "social-twitter"], rows.Select(r => r.GetProperty("name").GetString()).Order());

        await _sup.OkAsync("run", "social-twitter");
        Assert.True(await Eventually.TrueAsync(() => Task.FromResult(File.Exists(trace) && File.ReadAllLines(trace).Length == 3), TimeSpan.FromSeconds(20)), "three steps ran");
        Assert.Equal(["twitter get twitter in twitter", "twitter process twitter in twitter", "twitter push twitter in twitter"], File.ReadAllLines(trace));

        // Each plugin its own history: instagram has not run.
        var after = await Eventually.ValueAsync(JobRowsAsync, r => r.Single(j => j.GetProperty("name").GetString() == "social-twitter").GetProperty("run_count").GetInt32() == 1,
            TimeSpan.FromSeconds(20), "the twitter run counted");
        Assert.Equal(0, after.Single(j => j.GetProperty("name").GetString() == "social-instagram").GetProperty("run_count").GetInt32());
    }

    [Fact]
    public async Task A_server_started_by_hand_before_sup_is_shown_external_and_sup_starts_its_own_once_it_is_gone()
    {
        var marker = "handmade-" + Guid.NewGuid().ToString("N")[..8];
        _sup.WriteFile("server.sh", "#!/bin/sh\nwhile true; do sleep 1; done\n");
        var outside = _sup.StartOutside(new ProcessStartInfo("/bin/sh", ["-c", "while :; do sleep 1; done", marker]));
        var file = _sup.WriteFile("sup.yaml", $"""
            apps:
              - name: server
                script: ./server.sh
                detect_external: "{marker}"
            """);

        await _sup.OkAsync("start", file);

        var external = await Eventually.ValueAsync(() => _sup.AppAsync("server"), a => a.GetProperty("status").GetString() == "external", TimeSpan.FromSeconds(20), "external");
        Assert.Equal(outside.Id, external.GetProperty("pid").GetInt32());
        Assert.Matches(@"server +service +external +" + outside.Id, (await _sup.OkAsync("ls")).Stdout);
        Assert.Contains($"pid {outside.Id}", external.GetProperty("reason").GetString());
        Assert.Single(_sup.DaemonLog.Split('\n'), line => line.Contains("-> external", StringComparison.Ordinal));

        outside.Kill();
        await outside.WaitForExitAsync();

        var online = await Eventually.ValueAsync(() => _sup.AppAsync("server"), a => a.GetProperty("status").GetString() == "online", TimeSpan.FromSeconds(20), "sup's own copy online");
        Assert.NotEqual(outside.Id, online.GetProperty("pid").GetInt32());
        Assert.Single(_sup.DaemonLog.Split('\n'), line => line.Contains("-> external", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Watch_config_reloads_when_an_included_file_changes_or_a_new_one_matches()
    {
        _sup.WriteFile("conf.d/loop.sh", "#!/bin/sh\nwhile true; do sleep 1; done\n");
        var included = _sup.WriteFile("conf.d/apps.yaml", "apps:\n  - { name: first, script: ./loop.sh }\n");
        var file = _sup.WriteFile("sup.yaml", "watch_config: true\ninclude: conf.d/*.yaml\n");
        await _sup.OkAsync("start", file);
        Assert.Equal("online", await Eventually.ValueAsync(() => StatusAsync("first"), s => s == "online", TimeSpan.FromSeconds(20), "first online"));

        var temporary = included + ".swp";
        File.WriteAllText(temporary, "apps:\n  - { name: first, script: ./loop.sh }\n  - { name: second, script: ./loop.sh }\n");
        File.Move(temporary, included, overwrite: true);

        Assert.Equal("online", await Eventually.ValueAsync(() => StatusAsync("second"), s => s == "online", TimeSpan.FromSeconds(20), "second online after the included file changed"));

        // A new drop-in file: nothing watched it before, its folder's watcher sees it match the glob.
        var outside = Path.Combine(_sup.Apps, "third.tmp");
        File.WriteAllText(outside, "apps:\n  - { name: third, script: ./loop.sh }\n");
        File.Move(outside, Path.Combine(_sup.Apps, "conf.d/third.yaml"));

        Assert.Equal("online", await Eventually.ValueAsync(() => StatusAsync("third"), s => s == "online", TimeSpan.FromSeconds(20), "third online after a new file matched include:"));
    }

    [Fact]
    public async Task An_error_in_an_included_file_names_it_with_line_and_column_and_starts_nothing()
    {
        _sup.WriteFile("plugins/bad/sup.yaml", "apps:\n  - name: bad\n    run: nope\n");
        var file = _sup.WriteFile("sup.yaml", "include: plugins/*/sup.yaml\n");

        var result = await _sup.SupAsync("start", file);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains($"{Path.Combine(_sup.Apps, "plugins/bad/sup.yaml")}:3:10: run: 'nope' is not a plugin command", result.Stderr);
        Assert.DoesNotContain("   at ", result.Stderr);
        Assert.Empty(await _sup.ListAsync());
    }
}
