using Xunit;
using System.Text.Json;
using Supervisor.Tests.TestSupport;

namespace Supervisor.Tests.EndToEnd;

/// <summary>The spine, as a user drives it: ecosystem file → daemon → services → CLI.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class SpineSpecs : IAsyncLifetime
{
    private readonly SupHome _sup = SupHome.Create();

    public Task InitializeAsync() => Task.CompletedTask;
    public async Task DisposeAsync() => await _sup.DisposeAsync();

    private const string Loop = "#!/bin/sh\necho \"started $NAME_TAG\"\nwhile true; do sleep 1; done\n";

    private string Ecosystem(string body) => _sup.WriteFile("ecosystem.yaml", body);

    [Fact]
    public async Task I_can_start_an_ecosystem_and_see_every_service_online()
    {
        _sup.WriteFile("a.sh", Loop);
        _sup.WriteFile("b.sh", Loop);
        var file = Ecosystem("""
            apps:
              - name: alpha
                script: ./a.sh
                env: { NAME_TAG: alpha }
              - name: beta
                script: ./b.sh
            """);

        var start = await _sup.OkAsync("start", file);

        Assert.Contains("started    alpha", start.Stdout);
        Assert.Contains("started    beta", start.Stdout);
        var apps = await _sup.ListAsync();
        Assert.Equal(["alpha", "beta"], apps.Select(a => a.GetProperty("name").GetString()));
        foreach (var app in apps)
        {
            Assert.Equal("online", app.GetProperty("status").GetString());
            Assert.True(Processes.IsAlive(app.GetProperty("pid").GetInt32()));
        }
        Assert.True(await Eventually.TrueAsync(() => Task.FromResult(_sup.ReadLog("alpha").Contains("started alpha")), TimeSpan.FromSeconds(10)),
            "alpha's stdout reaches its log with its env applied");
    }

    [Fact]
    public async Task Ls_json_carries_the_documented_fields()
    {
        _sup.WriteFile("a.sh", Loop);
        await _sup.OkAsync("start", Ecosystem("apps:\n  - name: alpha\n    script: ./a.sh\n"));

        var app = await _sup.AppAsync("alpha");

        foreach (var field in new[] { "name", "kind", "status", "pid", "uptime_ms", "restarts", "cpu", "memory", "next_run" })
            Assert.True(app.TryGetProperty(field, out _), $"missing field {field} in {app}");
        Assert.Equal("service", app.GetProperty("kind").GetString());
        Assert.Equal(JsonValueKind.Null, app.GetProperty("next_run").ValueKind);
    }

    [Fact]
    public async Task Stop_restart_and_delete_do_what_they_say_and_an_unknown_name_is_a_clear_error()
    {
        _sup.WriteFile("a.sh", Loop);
        await _sup.OkAsync("start", Ecosystem("apps:\n  - name: alpha\n    script: ./a.sh\n"));
        var pid = (await _sup.AppAsync("alpha")).GetProperty("pid").GetInt32();

        await _sup.OkAsync("restart", "alpha");
        var restarted = await _sup.AppAsync("alpha");
        Assert.NotEqual(pid, restarted.GetProperty("pid").GetInt32());
        Assert.Equal(1, restarted.GetProperty("restarts").GetInt32());
        Assert.True(await Processes.AllGoneAsync([pid], TimeSpan.FromSeconds(10)));

        await _sup.OkAsync("stop", "alpha");
        var stopped = await _sup.AppAsync("alpha");
        Assert.Equal("stopped", stopped.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, stopped.GetProperty("pid").ValueKind);

        var missing = await _sup.SupAsync("stop", "nosuch");
        Assert.NotEqual(0, missing.ExitCode);
        Assert.Equal("No app named 'nosuch'. `sup ls` lists apps.", missing.Stderr.Trim());

        await _sup.OkAsync("delete", "all");
        Assert.Empty(await _sup.ListAsync());
    }

    [Fact]
    public async Task Starting_the_file_again_applies_only_the_changes()
    {
        _sup.WriteFile("a.sh", Loop);
        var file = Ecosystem("""
            apps:
              - name: keep
                script: ./a.sh
              - name: change
                script: ./a.sh
                env: { LABEL: one }
              - name: drop
                script: ./a.sh
            """);
        await _sup.OkAsync("start", file);
        var before = (await _sup.ListAsync()).ToDictionary(a => a.GetProperty("name").GetString()!, a => a.GetProperty("pid").GetInt32());

        Ecosystem("""
            apps:
              - name: keep
                script: ./a.sh
              - name: change
                script: ./a.sh
                env: { LABEL: two }
              - name: added
                script: ./a.sh
            """);
        var second = await _sup.OkAsync("start", file);

        Assert.Contains("restarted  change (env.LABEL changed)", second.Stdout);
        Assert.Contains("started    added", second.Stdout);
        Assert.Contains("unchanged  keep", second.Stdout);
        Assert.Contains("drop (left running; `sup delete drop` removes it)", second.Stdout);
        var after = (await _sup.ListAsync()).ToDictionary(a => a.GetProperty("name").GetString()!, a => a.GetProperty("pid").GetInt32());
        Assert.Equal(before["keep"], after["keep"]);
        Assert.Equal(before["drop"], after["drop"]);
        Assert.NotEqual(before["change"], after["change"]);
        Assert.True(after.ContainsKey("added"));
    }

    [Fact]
    public async Task An_ad_hoc_script_starts_with_its_arguments()
    {
        var script = _sup.WriteFile("echo.sh", "#!/bin/sh\necho \"args: $*\"\nexec sleep 300\n");

        await _sup.OkAsync("start", script, "--name", "echoer", "--", "one", "two words");

        Assert.Equal("online", (await _sup.AppAsync("echoer")).GetProperty("status").GetString());
        Assert.True(await Eventually.TrueAsync(() => Task.FromResult(_sup.ReadLog("echoer").Contains("args: one two words")), TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task An_invalid_file_starts_nothing_and_says_where_every_problem_is()
    {
        _sup.WriteFile("a.sh", Loop);
        var file = Ecosystem("""
            apps:
              - name: good
                script: ./a.sh
              - name: bad/one
                script: ./missing.sh
                min_uptim: 5s
            """);

        var result = await _sup.SupAsync("start", file);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains($"{file}:4:", result.Stderr);
        Assert.Contains("did you mean 'min_uptime'", result.Stderr);
        Assert.Contains("missing.sh", result.Stderr);
        Assert.DoesNotContain("   at ", result.Stderr);
        Assert.Empty(await _sup.ListAsync());
    }

    [Fact]
    public async Task Ping_reports_a_stopped_daemon_without_starting_one()
    {
        var ping = await _sup.SupAsync("ping");

        Assert.NotEqual(0, ping.ExitCode);
        Assert.Contains("not running", ping.Stderr);
        Assert.Null(_sup.DaemonPid);
    }

    [Fact]
    public async Task A_second_daemon_refuses_to_start_and_names_the_running_one()
    {
        await _sup.OkAsync("ls");
        var pid = _sup.DaemonPid;

        var second = await _sup.SupAsync("daemon");

        Assert.NotEqual(0, second.ExitCode);
        Assert.Contains($"pid {pid}", second.Stderr);
        Assert.Equal(0, (await _sup.SupAsync("ping")).ExitCode);
    }

    [Fact]
    public async Task Kill_stops_every_app_and_then_the_daemon()
    {
        _sup.WriteFile("a.sh", Loop);
        await _sup.OkAsync("start", Ecosystem("apps:\n  - name: alpha\n    script: ./a.sh\n  - name: beta\n    script: ./a.sh\n"));
        var pids = (await _sup.ListAsync()).Select(a => a.GetProperty("pid").GetInt32()).ToList();
        var daemon = _sup.DaemonPid!.Value;

        var kill = await _sup.OkAsync("kill");

        Assert.Contains("Stopped 2 app(s)", kill.Stdout);
        Assert.True(await Processes.AllGoneAsync([.. pids, daemon], TimeSpan.FromSeconds(10)));
        Assert.False(File.Exists(Path.Combine(_sup.Home, "sup.pid")));
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(_sup.Home, "pids")));
    }

    [Fact]
    public async Task The_socket_and_home_are_private_to_the_user()
    {
        await _sup.OkAsync("ls");

        var home = File.GetUnixFileMode(_sup.Home);
        var socket = File.GetUnixFileMode(Path.Combine(_sup.Home, "sup.sock"));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, home);
        Assert.Equal(UnixFileMode.None, socket & (UnixFileMode.GroupWrite | UnixFileMode.OtherWrite | UnixFileMode.OtherRead));
    }

    [Fact]
    public async Task Version_shows_the_cli_and_the_daemon()
    {
        await _sup.OkAsync("ls");

        var version = await _sup.OkAsync("version");

        Assert.Contains("sup CLI", version.Stdout);
        Assert.Contains("sup daemon", version.Stdout);
        Assert.Contains($"pid {_sup.DaemonPid}", version.Stdout);
    }
}
