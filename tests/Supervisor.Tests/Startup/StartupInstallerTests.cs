using System.Text;
using Supervisor.Core.Startup;
using Xunit;

namespace Supervisor.Tests.Startup;

public sealed class StartupInstallerTests : IDisposable
{
    private readonly string _root = Path.Combine("/tmp", "sup-t-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly FakeRunner _runner = new();

    public StartupInstallerTests() => Directory.CreateDirectory(_root);

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private StartupInstaller Installer => new(_runner, _root);

    private string OnDisk(string path) => Path.Combine(_root, path.TrimStart('/'));

    /// <summary>Records every command; answers with the scripted result for its verb, success otherwise.</summary>
    private sealed class FakeRunner : ICommandRunner
    {
        public List<string> Ran { get; } = [];
        public Dictionary<string, CommandResult> Results { get; } = [];

        public Task<CommandResult> RunAsync(StartupCommand command, CancellationToken cancellationToken)
        {
            Ran.Add(command.ToString());
            var verb = command.Arguments.FirstOrDefault(a => !a.StartsWith('-') && !a.StartsWith('/')) ?? "";
            return Task.FromResult(Results.GetValueOrDefault(verb, new CommandResult(0, "", "")));
        }
    }

    [Fact]
    public async Task Installing_a_user_unit_writes_it_then_reloads_and_enables_it_and_lists_what_is_left()
    {
        var spec = Specs.Ann();

        var report = await Installer.InstallAsync(InitSystem.Systemd, spec, dryRun: false, CancellationToken.None);

        Assert.Null(report.Failure);
        Assert.Equal(SystemdUnit.Render(spec), File.ReadAllText(OnDisk("/home/ann/.config/systemd/user/sup.service")));
        Assert.Equal(["systemctl --user daemon-reload", "systemctl --user enable sup.service"], _runner.Ran);
        Assert.Equal(_runner.Ran, report.Commands);
        Assert.Contains(report.NextSteps, s => s.StartsWith("loginctl enable-linger ann", StringComparison.Ordinal));
        Assert.Contains(report.NextSteps, s => s.StartsWith("/opt/sup/sup save", StringComparison.Ordinal));
    }

    [Fact]
    public async Task With_a_saved_set_there_is_no_reminder_to_save()
    {
        Directory.CreateDirectory(OnDisk("/home/ann/.sup"));
        File.WriteAllText(OnDisk("/home/ann/.sup/dump.yaml"), "apps: []\n");

        var report = await Installer.InstallAsync(InitSystem.Systemd, Specs.Ann(), dryRun: false, CancellationToken.None);

        Assert.DoesNotContain(report.NextSteps, s => s.Contains(" save", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_dry_run_writes_nothing_and_runs_nothing_but_says_what_it_would_do()
    {
        var report = await Installer.InstallAsync(InitSystem.Systemd, Specs.Ann(StartupScope.System), dryRun: true, CancellationToken.None);

        Assert.True(report.DryRun);
        Assert.Empty(_runner.Ran);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_root));
        Assert.Equal("/etc/systemd/system/sup-ann.service", report.FilePath);
        Assert.Contains("User=ann", report.Content);
        Assert.Equal(["systemctl daemon-reload", "systemctl enable sup-ann.service"], report.Commands);
    }

    [Fact]
    public async Task A_failing_command_stops_the_install_and_is_reported_in_one_line()
    {
        _runner.Results["daemon-reload"] = new CommandResult(1, "", "Failed to connect to bus: No medium found\n");

        var report = await Installer.InstallAsync(InitSystem.Systemd, Specs.Ann(), dryRun: false, CancellationToken.None);

        Assert.Equal("`systemctl --user daemon-reload` failed: Failed to connect to bus: No medium found. Is systemd running (for this user, with --user)? Containers and WSL often run without it.",
            report.Failure);
        Assert.Equal(["systemctl --user daemon-reload"], _runner.Ran);
        Assert.Empty(report.Commands);
        Assert.True(File.Exists(OnDisk("/home/ann/.config/systemd/user/sup.service")));
    }

    [Fact]
    public async Task A_missing_systemctl_is_named_as_such()
    {
        _runner.Results["daemon-reload"] = new CommandResult(127, "", "systemctl could not be run: No such file or directory");

        var report = await Installer.InstallAsync(InitSystem.Systemd, Specs.Ann(), dryRun: false, CancellationToken.None);

        Assert.EndsWith("systemctl is not installed here; is this a systemd system?", report.Failure);
    }

    [Fact]
    public async Task Uninstalling_disables_deletes_and_reloads()
    {
        await Installer.InstallAsync(InitSystem.Systemd, Specs.Ann(), dryRun: false, CancellationToken.None);
        _runner.Ran.Clear();

        var report = await Installer.UninstallAsync(InitSystem.Systemd, Specs.Ann(), dryRun: false, CancellationToken.None);

        Assert.Null(report.Failure);
        Assert.True(report.FileChanged);
        Assert.Equal(["systemctl --user disable sup.service", "systemctl --user daemon-reload"], _runner.Ran);
        Assert.False(File.Exists(OnDisk("/home/ann/.config/systemd/user/sup.service")));
        Assert.Equal(["systemctl --user disable sup.service", "rm /home/ann/.config/systemd/user/sup.service", "systemctl --user daemon-reload"], report.Commands);
    }

    [Fact]
    public async Task Uninstalling_when_systemctl_fails_still_removes_the_file_and_reports_the_failure()
    {
        await Installer.InstallAsync(InitSystem.Systemd, Specs.Ann(), dryRun: false, CancellationToken.None);
        _runner.Ran.Clear();
        _runner.Results["disable"] = new CommandResult(1, "", "Failed to connect to bus");

        var report = await Installer.UninstallAsync(InitSystem.Systemd, Specs.Ann(), dryRun: false, CancellationToken.None);

        Assert.StartsWith("`systemctl --user disable sup.service` failed: Failed to connect to bus.", report.Failure);
        Assert.False(File.Exists(OnDisk("/home/ann/.config/systemd/user/sup.service")));
        Assert.Equal(["systemctl --user disable sup.service"], _runner.Ran);
    }

    [Fact]
    public async Task Uninstalling_what_is_not_there_runs_nothing()
    {
        var report = await Installer.UninstallAsync(InitSystem.Systemd, Specs.Ann(), dryRun: false, CancellationToken.None);

        Assert.False(report.FileChanged);
        Assert.Empty(_runner.Ran);
        Assert.Equal(["Nothing to remove: /home/ann/.config/systemd/user/sup.service does not exist."], report.NextSteps);
    }

    [Fact]
    public async Task A_launch_agent_is_enabled_not_loaded_and_unloading_one_that_is_not_loaded_is_only_a_note()
    {
        var spec = Specs.Ann();
        var install = await Installer.InstallAsync(InitSystem.Launchd, spec, dryRun: false, CancellationToken.None);

        Assert.Equal(["launchctl enable gui/1000/dev.sup.daemon"], _runner.Ran);
        Assert.Contains(install.NextSteps, s => s.Contains("launchctl bootstrap gui/1000 /home/ann/Library/LaunchAgents/dev.sup.daemon.plist", StringComparison.Ordinal));
        Assert.True(File.Exists(OnDisk("/home/ann/Library/LaunchAgents/dev.sup.daemon.plist")));

        _runner.Results["bootout"] = new CommandResult(3, "", "Boot-out failed: 3: No such process");
        var uninstall = await Installer.UninstallAsync(InitSystem.Launchd, spec, dryRun: false, CancellationToken.None);

        Assert.Null(uninstall.Failure);
        Assert.Single(uninstall.Notes);
        Assert.False(File.Exists(OnDisk("/home/ann/Library/LaunchAgents/dev.sup.daemon.plist")));
    }

    [Fact]
    public async Task A_windows_task_definition_is_written_as_utf16_and_imported_with_schtasks()
    {
        var spec = Specs.Ann(command: ["C:\\sup\\sup.exe"]);

        await Installer.InstallAsync(InitSystem.Windows, spec, dryRun: false, CancellationToken.None);

        var bytes = File.ReadAllBytes(OnDisk("/home/ann/.sup/sup-task.xml"));
        Assert.Equal(Encoding.Unicode.GetPreamble(), bytes[..2]);
        Assert.Contains("<Command>C:\\sup\\sup.exe</Command>", Encoding.Unicode.GetString(bytes[2..]));
        Assert.Equal(["schtasks /Create /TN sup-ann /XML /home/ann/.sup/sup-task.xml /F"], _runner.Ran);
    }
}
