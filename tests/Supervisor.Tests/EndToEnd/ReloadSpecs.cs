using Xunit;
using Supervisor.Tests.TestSupport;

namespace Supervisor.Tests.EndToEnd;

/// <summary>`sup reload FILE` and watch_config: a file's changes applied to a running set, and nothing more.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class ReloadSpecs : IAsyncLifetime
{
    private readonly SupHome _sup = SupHome.Create();

    public Task InitializeAsync() => Task.CompletedTask;
    public async Task DisposeAsync() => await _sup.DisposeAsync();

    private const string Loop = "#!/bin/sh\necho \"started LABEL=$LABEL\"\nwhile true; do sleep 1; done\n";

    private string Ecosystem(string body) => _sup.WriteFile("ecosystem.yaml", body);

    /// <summary>Saves as many editors do: write a temporary file, rename it over the original.</summary>
    private void SaveLikeAnEditor(string file, string body)
    {
        var temporary = file + ".swp";
        File.WriteAllText(temporary, body);
        File.Move(temporary, file, overwrite: true);
    }

    private async Task<Dictionary<string, int?>> PidsAsync() =>
        (await _sup.ListAsync()).ToDictionary(
            a => a.GetProperty("name").GetString()!,
            a => a.GetProperty("pid").ValueKind == System.Text.Json.JsonValueKind.Number ? a.GetProperty("pid").GetInt32() : (int?)null);

    [Fact]
    public async Task Reload_starts_new_apps_restarts_changed_ones_deletes_removed_ones_and_leaves_the_rest_running()
    {
        _sup.WriteFile("loop.sh", Loop);
        var file = Ecosystem("""
            apps:
              - name: keep
                script: ./loop.sh
              - name: change
                script: ./loop.sh
                env: { LABEL: one }
              - name: drop
                script: ./loop.sh
            """);
        await _sup.OkAsync("start", file);
        var before = await PidsAsync();

        Ecosystem("""
            apps:
              - name: keep
                script: ./loop.sh
              - name: change
                script: ./loop.sh
                env: { LABEL: two }
              - name: added
                script: ./loop.sh
            """);
        var reload = await _sup.OkAsync("reload", file);

        Assert.Contains("started    added", reload.Stdout);
        Assert.Contains("restarted  change (env.LABEL changed)", reload.Stdout);
        Assert.Contains("unchanged  keep", reload.Stdout);
        Assert.Contains("removed    drop (stopped and deleted: no longer in the file)", reload.Stdout);
        var after = await PidsAsync();
        Assert.Equal(["keep", "change", "added"], after.Keys);
        Assert.Equal(before["keep"], after["keep"]);
        Assert.NotEqual(before["change"], after["change"]);
        Assert.NotNull(after["added"]);
        Assert.True(await Processes.AllGoneAsync([before["drop"]!.Value, before["change"]!.Value], TimeSpan.FromSeconds(10)),
            "the deleted app and the old generation of the changed one are gone");
        Assert.True(await Eventually.TrueAsync(() => Task.FromResult(_sup.ReadLog("change").Contains("started LABEL=two")), TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task Watch_config_keeps_the_running_set_on_an_invalid_edit_and_applies_a_valid_one()
    {
        _sup.WriteFile("loop.sh", Loop);
        var file = Ecosystem("""
            watch_config: true
            apps:
              - name: keep
                script: ./loop.sh
            """);
        await _sup.OkAsync("start", file);
        var keep = (await PidsAsync())["keep"];

        SaveLikeAnEditor(file, """
            watch_config: true
            apps:
              - name: keep
                script: ./loop.sh
                min_uptim: 5s
              - name: added
                script: ./loop.sh
            """);

        Assert.True(await Eventually.TrueAsync(() => Task.FromResult(_sup.DaemonLog.Contains("was not reloaded")), TimeSpan.FromSeconds(15)),
            "the invalid edit is reported: " + _sup.DaemonLog);
        Assert.Contains("did you mean 'min_uptime'", _sup.DaemonLog);
        Assert.Equal(new Dictionary<string, int?> { ["keep"] = keep }, await PidsAsync());

        SaveLikeAnEditor(file, """
            watch_config: true
            apps:
              - name: keep
                script: ./loop.sh
              - name: added
                script: ./loop.sh
            """);

        var pids = await Eventually.ValueAsync(PidsAsync, p => p.GetValueOrDefault("added") is not null, TimeSpan.FromSeconds(15), "added running");
        Assert.Equal(keep, pids["keep"]);
        Assert.True(await Eventually.TrueAsync(
            () => Task.FromResult(_sup.DaemonLog.Contains("changed and was reloaded (watch_config): started added; unchanged keep")), TimeSpan.FromSeconds(10)),
            _sup.DaemonLog);
    }

    [Fact]
    public async Task Watch_config_reloads_with_the_env_profile_the_file_was_started_with()
    {
        _sup.WriteFile("loop.sh", Loop);
        var file = Ecosystem("""
            watch_config: true
            apps:
              - name: svc
                script: ./loop.sh
                env: { LABEL: plain }
                env_production: { LABEL: prod-1 }
            """);
        await _sup.OkAsync("start", file, "--env", "production");
        Assert.True(await Eventually.TrueAsync(() => Task.FromResult(_sup.ReadLog("svc").Contains("started LABEL=prod-1")), TimeSpan.FromSeconds(10)));

        File.WriteAllText(file, """
            watch_config: true
            apps:
              - name: svc
                script: ./loop.sh
                env: { LABEL: plain }
                env_production: { LABEL: prod-2 }
            """);

        Assert.True(await Eventually.TrueAsync(() => Task.FromResult(_sup.ReadLog("svc").Contains("started LABEL=prod-2")), TimeSpan.FromSeconds(15)),
            "reloaded with --env production: " + _sup.ReadLog("svc"));
        Assert.DoesNotContain("LABEL=plain", _sup.ReadLog("svc"));
    }

    [Fact]
    public async Task Deleting_every_app_of_a_watched_file_stops_watching_it()
    {
        _sup.WriteFile("loop.sh", Loop);
        var file = Ecosystem("watch_config: true\napps:\n  - name: svc\n    script: ./loop.sh\n");
        await _sup.OkAsync("start", file);

        await _sup.OkAsync("delete", "svc");

        Assert.True(await Eventually.TrueAsync(() => Task.FromResult(_sup.DaemonLog.Contains($"no longer watching {file}: none of its apps is left")), TimeSpan.FromSeconds(10)),
            _sup.DaemonLog);
    }
}
