using System.Diagnostics;
using System.Text.Json;
using Supervisor.Tests.TestSupport;
using Xunit;

namespace Supervisor.Tests.EndToEnd;

/// <summary>
/// Input a hostile or careless user gives the real CLI and daemon (issue 14): each is refused in
/// one line or handled, and the daemon lives on.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class HostileInputSpecs : IAsyncLifetime
{
    private readonly SupHome _sup = SupHome.Create();

    public Task InitializeAsync() => Task.CompletedTask;
    public async Task DisposeAsync() => await _sup.DisposeAsync();

    private const string Loop = "#!/bin/sh\ntrap '' TERM\necho ready\nwhile true; do sleep 1; done\n";

    private string Socket => Path.Combine(_sup.Home, "sup.sock");

    private async Task<int> StartLoopAsync(string extra = "")
    {
        _sup.WriteFile("loop.sh", Loop);
        await _sup.OkAsync("start", _sup.WriteFile("ecosystem.yaml", $"apps:\n  - name: loop\n    script: ./loop.sh\n{extra}"));
        var app = await Eventually.ValueAsync(() => _sup.AppAsync("loop"), a => a.GetProperty("pid").ValueKind == JsonValueKind.Number,
            TimeSpan.FromSeconds(20), "loop to run");
        return app.GetProperty("pid").GetInt32();
    }

    private static void AssertOneLine(CliResult result)
    {
        Assert.NotEqual(0, result.ExitCode);
        Assert.Single(result.Stderr.Trim().Split('\n'));
        Assert.DoesNotContain("   at ", result.Stderr);
    }

    [Fact(Timeout = 120_000)]
    public async Task Kill_after_the_socket_was_deleted_says_the_daemon_runs_and_kill_force_stops_everything()
    {
        var app = await StartLoopAsync();
        var daemon = _sup.DaemonPid!.Value;
        File.Delete(Socket);

        var kill = await _sup.SupAsync("kill");

        AssertOneLine(kill);
        Assert.Contains($"is running (pid {daemon}) but cannot be reached", kill.Stderr);
        Assert.True(Processes.IsAlive(daemon));

        var force = await _sup.SupAsync("kill", "--force");

        Assert.True(force.ExitCode == 0, force.ToString());
        Assert.Equal($"Killed the daemon (pid {daemon}) and 1 app(s): loop.", force.Stdout.Trim());
        Assert.True(await Processes.AllGoneAsync([daemon, app], TimeSpan.FromSeconds(10)), "daemon and app gone");
        Assert.Empty(Directory.GetFiles(Path.Combine(_sup.Home, "pids")));
        Assert.False(File.Exists(Path.Combine(_sup.Home, "sup.pid")));
        Assert.Equal("The sup daemon is not running.", (await _sup.OkAsync("kill")).Stdout.Trim());
    }

    [Fact(Timeout = 120_000)]
    public async Task Kill_force_does_not_wait_for_a_long_kill_timeout()
    {
        var app = await StartLoopAsync("    kill_timeout: 1h\n");
        var daemon = _sup.DaemonPid!.Value;
        // The keeper would start a new daemon the moment this one dies: it must go first.
        var keeper = int.Parse(File.ReadAllText(Path.Combine(_sup.Home, "keeper.pid")).Trim());
        var clock = Stopwatch.StartNew();

        var force = await _sup.SupWithTimeoutAsync(TimeSpan.FromSeconds(30), "kill", "--force");

        Assert.True(force.ExitCode == 0, force.ToString());
        Assert.True(await Processes.AllGoneAsync([keeper, daemon, app], TimeSpan.FromSeconds(10)), "keeper, daemon and app gone");
        Assert.False(Directory.Exists(Path.Combine(_sup.Home, "journal")), "the journal is cleared: nothing is restored");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"took {clock.Elapsed}");
    }

    [Fact(Timeout = 120_000)]
    public async Task A_log_file_symlinked_elsewhere_is_refused_the_app_runs_and_the_target_is_left_alone()
    {
        var target = _sup.WriteFile("precious.txt", "precious\n");
        Directory.CreateDirectory(Path.Combine(_sup.Home, "logs"));
        File.CreateSymbolicLink(Path.Combine(_sup.Home, "logs", "loop-out.log"), target);

        await StartLoopAsync();
        var app = await Eventually.ValueAsync(() => _sup.AppAsync("loop"), a => a.GetProperty("log_lines_dropped").GetInt64() > 0,
            TimeSpan.FromSeconds(20), "the ready line to be dropped");
        await _sup.OkAsync("flush", "loop");

        Assert.Equal("online", app.GetProperty("status").GetString());
        Assert.Equal("precious\n", File.ReadAllText(target));
        Assert.Contains("loop: refusing its log file:", _sup.DaemonLog);
        Assert.Contains("is a symbolic link; sup does not write logs through links", _sup.DaemonLog);
        Assert.Contains("dropped", (await _sup.OkAsync("ls")).Stdout);
    }

    [Fact(Timeout = 120_000)]
    public async Task Deeply_nested_yaml_a_fifo_and_dev_zero_are_refused_and_the_daemon_lives_on()
    {
        await _sup.OkAsync("start", _sup.WriteFile("ok.yaml", "apps: []\n"));
        var daemon = _sup.DaemonPid!.Value;
        var deep = _sup.WriteFile("deep.yaml", "apps: []\nx: " + new string('[', 50_000) + new string(']', 50_000) + "\n");
        var fifo = Path.Combine(_sup.Apps, "fifo.yaml");
        using (var mkfifo = Process.Start("mkfifo", [fifo])) await mkfifo.WaitForExitAsync();
        var zero = Path.Combine(_sup.Apps, "zero.yaml");
        File.CreateSymbolicLink(zero, "/dev/zero");

        var results = new[] { await _sup.SupAsync("start", deep), await _sup.SupAsync("start", fifo), await _sup.SupAsync("start", zero) };

        Assert.All(results, r => Assert.Equal(5, r.ExitCode));
        Assert.Contains("nested more than 64 deep", results[0].Stderr);
        Assert.Contains("is a FIFO (named pipe), not a regular file", results[1].Stderr);
        Assert.Contains("is a character device, not a regular file", results[2].Stderr);
        Assert.DoesNotContain("   at ", string.Concat(results.Select(r => r.Stderr)));
        Assert.Equal($"pong (daemon pid {daemon})", (await _sup.OkAsync("ping")).Stdout.Trim());
    }

    [Fact(Timeout = 120_000)]
    public async Task A_temp_file_a_crash_left_is_deleted_when_the_daemon_starts()
    {
        Directory.CreateDirectory(_sup.Home);
        using var dead = Process.Start("true")!;
        await dead.WaitForExitAsync();
        var leftover = Path.Combine(_sup.Home, $"dump.yaml.tmp-{dead.Id}-0a1b2c3d");
        File.WriteAllText(leftover, "env: { DB_PASS: hunter2 }\n");

        await _sup.OkAsync("start", _sup.WriteFile("ok.yaml", "apps: []\n"));

        Assert.False(File.Exists(leftover));
        Assert.Contains("a temporary file left by a crash", _sup.DaemonLog);
    }

    [Fact(Timeout = 120_000)]
    public async Task Describe_masks_passwords_tokens_url_passwords_and_secret_flags()
    {
        await StartLoopAsync("""
                env:
                  DB_PASS: hunter2
                  GITHUB_PAT: ghp_abc
                  DATABASE_URL: postgres://u:secret@h/db
                  LABEL: INBOX
                args: ["--password=x", "--token", "tok", "--port", "80"]

            """);

        var json = JsonDocument.Parse((await _sup.OkAsync("describe", "loop", "--json")).Stdout).RootElement;
        var text = (await _sup.OkAsync("describe", "loop")).Stdout;

        var env = json.GetProperty("env");
        Assert.Equal("******", env.GetProperty("DB_PASS").GetString());
        Assert.Equal("******", env.GetProperty("GITHUB_PAT").GetString());
        Assert.Equal("postgres://u:******@h/db", env.GetProperty("DATABASE_URL").GetString());
        Assert.Equal("INBOX", env.GetProperty("LABEL").GetString());
        Assert.Equal("--password=****** --token ****** --port 80", json.GetProperty("config").GetProperty("args").GetString());
        Assert.EndsWith("--password=****** --token ****** --port 80", json.GetProperty("command").GetString());
        foreach (var secret in (string[])["hunter2", "ghp_abc", "secret@", "=x", "tok "])
            Assert.DoesNotContain(secret, text);
    }
}
