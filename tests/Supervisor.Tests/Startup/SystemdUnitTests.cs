using System.Diagnostics;
using Supervisor.Core.Startup;
using Xunit;

namespace Supervisor.Tests.Startup;

public sealed class SystemdUnitTests
{
    private static string[] Lines(StartupSpec spec) => SystemdUnit.Render(spec).Split('\n');

    [Fact]
    public void A_user_unit_runs_the_daemon_in_the_foreground_with_resurrect_says_ready_and_lets_it_stop_its_apps_itself()
    {
        var spec = Specs.Ann();

        var lines = Lines(spec);

        Assert.Equal("/home/ann/.config/systemd/user/sup.service", SystemdUnit.UnitPath(spec));
        Assert.Contains("Type=notify", lines);
        Assert.Contains("NotifyAccess=main", lines);
        Assert.Contains("WatchdogSec=30", lines);
        Assert.Contains("ExecStart=/opt/sup/sup daemon --resurrect", lines);
        Assert.Contains("Environment=\"SUP_HOME=/home/ann/.sup\"", lines);
        Assert.Contains("Environment=\"PATH=/home/ann/.local/bin:/usr/bin:/bin\"", lines);
        Assert.Contains("Restart=on-failure", lines);
        Assert.Contains("KillMode=process", lines);
        Assert.Contains("KillSignal=SIGTERM", lines);
        Assert.Contains("TimeoutStopSec=55", lines);
        Assert.Contains("WantedBy=default.target", lines);
        Assert.DoesNotContain(lines, l => l.StartsWith("User=", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.StartsWith("KillMode=mixed", StringComparison.Ordinal));
    }

    [Fact]
    public void A_system_unit_is_named_for_the_user_and_runs_as_that_user_after_the_network()
    {
        var spec = Specs.Ann(StartupScope.System);

        var lines = Lines(spec);

        Assert.Equal("/etc/systemd/system/sup-ann.service", SystemdUnit.UnitPath(spec));
        Assert.Contains("User=ann", lines);
        Assert.Contains("After=network-online.target", lines);
        Assert.Contains("WantedBy=multi-user.target", lines);
        Assert.Empty(SystemdUnit.Systemctl(spec));
        Assert.Equal(["--user"], SystemdUnit.Systemctl(Specs.Ann()));
    }

    [Fact]
    public void Under_dotnet_the_unit_runs_the_dotnet_host_with_the_dll_and_quotes_what_systemd_would_misread()
    {
        var spec = Specs.Ann(command: ["/usr/share/dotnet/dotnet", "/opt/my tools/sup.dll"], supHome: "/srv/100%/sup");

        var lines = Lines(spec);

        Assert.Contains("ExecStart=/usr/share/dotnet/dotnet \"/opt/my tools/sup.dll\" daemon --resurrect", lines);
        // '%' starts a specifier in every setting: doubled, it is a literal percent sign.
        Assert.Contains("Environment=\"SUP_HOME=/srv/100%%/sup\"", lines);
    }

    [Fact]
    public void Dollar_signs_in_a_command_are_not_taken_for_variables()
    {
        Assert.Equal("/opt/$$HOME/sup", SystemdUnit.Quote("/opt/$HOME/sup", command: true));
        Assert.Equal("\"a \\\"b\\\" c\"", SystemdUnit.Quote("a \"b\" c", command: true));
        Assert.Equal("\"C:\\\\x\"", SystemdUnit.Quote("C:\\x"));
    }

    [Theory]
    [InlineData(StartupScope.User)]
    [InlineData(StartupScope.System)]
    public void Every_line_is_a_comment_a_section_or_a_known_setting_of_its_section(StartupScope scope)
    {
        var known = new Dictionary<string, string[]>
        {
            ["Unit"] = ["Description", "Wants", "After"],
            ["Service"] = ["Type", "NotifyAccess", "WatchdogSec", "User", "WorkingDirectory", "Environment", "ExecStart", "Restart", "RestartSec", "KillMode", "KillSignal", "TimeoutStopSec"],
            ["Install"] = ["WantedBy"],
        };
        var required = new[] { "Unit.Description", "Service.Type", "Service.ExecStart", "Service.Environment", "Service.Restart", "Service.KillMode", "Service.KillSignal", "Service.TimeoutStopSec", "Install.WantedBy" };

        string? section = null;
        var seen = new List<string>();
        foreach (var line in Lines(Specs.Ann(scope)))
        {
            if (line.Length == 0 || line.StartsWith('#')) continue;
            if (line.StartsWith('[') && line.EndsWith(']'))
            {
                section = line[1..^1];
                Assert.True(known.ContainsKey(section), $"unknown section {line}");
                continue;
            }

            Assert.NotNull(section);
            var equals = line.IndexOf('=');
            Assert.True(equals > 0, $"not a setting: {line}");
            var key = line[..equals];
            Assert.Contains(key, known[section!]);
            Assert.False(seen.Contains($"{section}.{key}") && key != "Environment", $"{key} set twice");
            seen.Add($"{section}.{key}");
        }

        Assert.Equal(["Unit", "Service", "Install"], seen.Select(s => s.Split('.')[0]).Distinct());
        Assert.All(required, r => Assert.Contains(r, seen));
    }

    [Theory]
    [InlineData(StartupScope.User)]
    [InlineData(StartupScope.System)]
    public async Task Systemd_analyze_verify_accepts_the_unit(StartupScope scope)
    {
        var analyze = new[] { "/usr/bin/systemd-analyze", "/bin/systemd-analyze" }.FirstOrDefault(File.Exists);
        Assert.True(analyze is not null,
            "systemd-analyze is not installed; install it (`apt-get install -y --no-install-recommends systemd`, as .ci/run does) to verify the generated unit.");

        // A real, executable ExecStart: verify checks that the program exists.
        var dir = Path.Combine("/tmp", "sup-t-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        try
        {
            var dotnet = Environment.ProcessPath!;
            var spec = Specs.Ann(scope, command: [dotnet, Path.Combine(AppContext.BaseDirectory, "sup.dll")]) with { UserName = "root" };
            var unit = Path.Combine(dir, SystemdUnit.UnitName(spec));
            await File.WriteAllTextAsync(unit, SystemdUnit.Render(spec));

            var info = new ProcessStartInfo(analyze!) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            info.ArgumentList.Add("verify");
            info.ArgumentList.Add(unit);
            using var process = Process.Start(info)!;
            var output = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();

            Assert.True(process.ExitCode == 0, output);
            // Warnings (an unknown key, a bad value) do not change the exit code: none may name our unit.
            Assert.DoesNotContain(Path.GetFileName(unit), output);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
