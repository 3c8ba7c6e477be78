using Xunit;
using Supervisor.Tests.TestSupport;

namespace Supervisor.Tests.EndToEnd;

/// <summary>
/// `sup startup` / `sup unstartup` through the real CLI. HOME is a temp folder and systemctl a
/// stand-in script first on PATH, so nothing touches this machine's own service manager.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class StartupSpecs : IAsyncLifetime
{
    private readonly SupHome _sup = SupHome.Create();
    private readonly string _home;
    private readonly string _bin;

    public StartupSpecs()
    {
        _home = Path.Combine(_sup.Apps, "home");
        _bin = Path.Combine(_sup.Apps, "bin");
        Directory.CreateDirectory(_home);
        Directory.CreateDirectory(_bin);
    }

    public Task InitializeAsync() => Task.CompletedTask;
    public async Task DisposeAsync() => await _sup.DisposeAsync();

    private string UserUnit => Path.Combine(_home, ".config", "systemd", "user", "sup.service");
    private string Calls => Path.Combine(_bin, "calls.log");

    /// <summary>A systemctl that records its arguments and exits with <paramref name="exitCode"/> (after printing <paramref name="error"/>).</summary>
    private void FakeSystemctl(int exitCode, string error = "")
    {
        var path = Path.Combine(_bin, "systemctl");
        File.WriteAllText(path, $"#!/bin/sh\necho \"$*\" >> '{Calls}'\n{(error.Length > 0 ? $"echo '{error}' >&2\n" : "")}exit {exitCode}\n");
        File.SetUnixFileMode(path, File.GetUnixFileMode(path) | UnixFileMode.UserExecute);
    }

    private Task<CliResult> SupAsync(params string[] args) =>
        _sup.SupWithEnvironmentAsync(TimeSpan.FromSeconds(60), new Dictionary<string, string>
        {
            ["HOME"] = _home,
            ["PATH"] = _bin + Path.PathSeparator + Environment.GetEnvironmentVariable("PATH"),
        }, args);

    [Fact]
    public async Task A_dry_run_prints_the_unit_with_a_stop_timeout_beyond_the_longest_kill_timeout_and_changes_nothing()
    {
        _sup.WriteFile("slow.sh", "#!/bin/sh\nwhile true; do sleep 1; done\n");
        await _sup.OkAsync("start", _sup.WriteFile("ecosystem.yaml", "apps:\n  - name: slow\n    script: ./slow.sh\n    kill_timeout: 45s\n"));
        FakeSystemctl(0);

        var result = await SupAsync("startup", "systemd", "--user", "--dry-run");

        Assert.Equal(0, result.ExitCode);
        var unit = result.Stdout.Split('\n');
        Assert.Contains("TimeoutStopSec=55", unit);
        Assert.Contains($"Environment=\"SUP_HOME={_sup.Home}\"", unit);
        Assert.Contains("KillMode=process", unit);
        Assert.Contains("Type=notify", unit);
        Assert.Single(unit, line => line.StartsWith("ExecStart=", StringComparison.Ordinal) && line.EndsWith(" daemon --resurrect", StringComparison.Ordinal)
            && line.Contains(SupHome.CliPath, StringComparison.Ordinal));
        Assert.Contains($"This would be {UserUnit}, followed by:", result.Stderr);
        Assert.Contains("#   systemctl --user enable sup.service", result.Stderr);
        Assert.False(File.Exists(UserUnit));
        Assert.False(File.Exists(Calls));
    }

    [Fact]
    public async Task Startup_writes_the_unit_enables_it_and_says_what_is_left_and_unstartup_undoes_it()
    {
        FakeSystemctl(0);

        var startup = await SupAsync("startup", "systemd", "--user");

        Assert.Equal(0, startup.ExitCode);
        Assert.Contains($"Wrote {UserUnit}", startup.Stdout);
        Assert.Contains("Ran   systemctl --user daemon-reload", startup.Stdout);
        Assert.Contains("Ran   systemctl --user enable sup.service", startup.Stdout);
        Assert.Contains("loginctl enable-linger", startup.Stdout);
        Assert.Contains("save    # nothing is saved yet", startup.Stdout);
        Assert.Contains("[Install]\nWantedBy=default.target\n", File.ReadAllText(UserUnit));
        Assert.Equal(["--user daemon-reload", "--user enable sup.service"], File.ReadAllLines(Calls));

        File.Delete(Calls);
        var unstartup = await SupAsync("unstartup");

        Assert.Equal(0, unstartup.ExitCode);
        Assert.Contains("Ran   systemctl --user disable sup.service", unstartup.Stdout);
        Assert.Contains($"Ran   rm {UserUnit}", unstartup.Stdout);
        Assert.False(File.Exists(UserUnit));
        Assert.Equal(["--user disable sup.service", "--user daemon-reload"], File.ReadAllLines(Calls));
    }

    [Fact]
    public async Task A_failing_systemctl_is_one_line_on_stderr_and_a_non_zero_exit()
    {
        FakeSystemctl(1, "Failed to connect to bus: No medium found");

        var result = await SupAsync("startup", "systemd", "--user");

        Assert.Equal(1, result.ExitCode);
        var first = result.Stderr.Split('\n')[0];
        Assert.Equal("`systemctl --user daemon-reload` failed: Failed to connect to bus: No medium found. Is systemd running (for this user, with --user)? Containers and WSL often run without it.", first);
        Assert.DoesNotContain("   at ", result.Stderr);
        Assert.True(File.Exists(UserUnit), "the unit stays written; `sup unstartup` removes it");
        Assert.Equal(["--user daemon-reload"], File.ReadAllLines(Calls));
    }

    [Fact]
    public async Task Unstartup_with_nothing_registered_says_so()
    {
        FakeSystemctl(0);

        var result = await SupAsync("unstartup", "systemd", "--user");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal($"Nothing to remove: {UserUnit} does not exist.", result.Stdout.Trim());
        Assert.False(File.Exists(Calls));
    }

    [Fact]
    public async Task Startup_with_pm2s_u_and_hp_prints_a_system_unit_running_as_that_user()
    {
        var home = Path.Combine(_sup.Apps, "ann-home");

        var result = await SupAsync("startup", "systemd", "--system", "-u", "root", "--hp", home, "--dry-run");

        Assert.Equal(0, result.ExitCode);
        var unit = result.Stdout.Split('\n');
        Assert.Contains("User=root", unit);
        Assert.Contains("WantedBy=multi-user.target", unit);
        Assert.Contains("This would be /etc/systemd/system/sup-root.service, followed by:", result.Stderr);
        Assert.Contains("#   systemctl enable sup-root.service", result.Stderr);
    }

    [Fact]
    public async Task Startup_for_an_unknown_user_is_one_line()
    {
        var result = await SupAsync("startup", "systemd", "--system", "-u", "no-such-user-here", "--dry-run");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("No user 'no-such-user-here' in /etc/passwd; -u takes the account the daemon runs as.", result.Stderr.Trim());
    }

    [Fact]
    public async Task Asking_for_both_scopes_is_a_usage_error()
    {
        var result = await SupAsync("startup", "systemd", "--user", "--system", "--dry-run");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("Give --user or --system, not both.", result.Stderr.Trim());
    }
}
