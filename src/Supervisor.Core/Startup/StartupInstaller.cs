using System.Text;
using Supervisor.Core.Platform;

namespace Supervisor.Core.Startup;

/// <summary>
/// Registers the daemon with the boot manager (`sup startup`) and removes it again
/// (`sup unstartup`): writes the unit, plist or task definition, then runs the manager's own
/// commands. Nothing here starts the daemon now: a second daemon beside the running one would
/// only fail on its lock, so the report says how to hand over.
/// </summary>
/// <param name="fileRoot">Prepended to every path written or deleted ("/" in real use; a temp folder in tests).</param>
public sealed class StartupInstaller(ICommandRunner runner, string fileRoot = "/")
{
    public async Task<StartupReport> InstallAsync(InitSystem system, StartupSpec spec, bool dryRun, CancellationToken cancellationToken)
    {
        var (path, content) = Definition(system, spec);
        var commands = InstallCommands(system, spec, path);
        var report = new StartupReport
        {
            System = system,
            FilePath = path,
            Content = content,
            DryRun = dryRun,
            NextSteps = NextSteps(system, spec, path),
        };
        if (dryRun) return report with { Commands = commands.Select(c => c.ToString()).ToList() };

        Write(system, spec, path, content);
        report = report with { FileChanged = true };
        var ran = new List<string>();
        foreach (var command in commands)
        {
            var result = await runner.RunAsync(command, cancellationToken);
            if (!result.Succeeded) return report with { Commands = ran, Failure = Failed(system, command, result), FailureOutput = result.Error + result.Output };
            ran.Add(command.ToString());
        }

        return report with { Commands = ran };
    }

    public async Task<StartupReport> UninstallAsync(InitSystem system, StartupSpec spec, bool dryRun, CancellationToken cancellationToken)
    {
        var (path, _) = Definition(system, spec);
        var report = new StartupReport { System = system, FilePath = path, Content = "", DryRun = dryRun };
        var exists = File.Exists(Resolve(path));
        if (!exists) return report with { NextSteps = [$"Nothing to remove: {path} does not exist."] };

        var (before, after) = UninstallCommands(system, spec);
        if (dryRun) return report with { Commands = [.. before.Select(c => c.ToString()), $"rm {path}", .. after.Select(c => c.ToString())] };

        var ran = new List<string>();
        var notes = new List<string>();
        StartupReport? failed = null;
        foreach (var command in before)
        {
            var result = await runner.RunAsync(command, cancellationToken);
            if (result.Succeeded) ran.Add(command.ToString());
            // Unloading a job that is not loaded (the usual case: it loads at login) is not an error.
            else if (system == InitSystem.Launchd) notes.Add($"{command}: {result.FirstLine} (it was not loaded)");
            else failed ??= report with { Failure = Failed(system, command, result), FailureOutput = result.Error + result.Output };
        }

        // The file goes even when the manager could not be told: it is what `startup` made.
        File.Delete(Resolve(path));
        ran.Add($"rm {path}");
        if (failed is not null) return failed with { FileChanged = true, Commands = ran, Notes = notes };

        foreach (var command in after)
        {
            var result = await runner.RunAsync(command, cancellationToken);
            if (!result.Succeeded)
                return report with { FileChanged = true, Commands = ran, Notes = notes, Failure = Failed(system, command, result), FailureOutput = result.Error + result.Output };
            ran.Add(command.ToString());
        }

        return report with { FileChanged = true, Commands = ran, Notes = notes };
    }

    public static (string Path, string Content) Definition(InitSystem system, StartupSpec spec) => system switch
    {
        InitSystem.Systemd => (SystemdUnit.UnitPath(spec), SystemdUnit.Render(spec)),
        InitSystem.Launchd => (LaunchdPlist.PlistPath(spec), LaunchdPlist.Render(spec)),
        _ => (WindowsTask.DefinitionPath(spec), WindowsTask.Render(spec)),
    };

    private static List<StartupCommand> InstallCommands(InitSystem system, StartupSpec spec, string path) => system switch
    {
        InitSystem.Systemd =>
        [
            StartupCommand.Of("systemctl", [.. SystemdUnit.Systemctl(spec), "daemon-reload"]),
            StartupCommand.Of("systemctl", [.. SystemdUnit.Systemctl(spec), "enable", SystemdUnit.UnitName(spec)]),
        ],
        // Loaded at the next login (boot, for a LaunchDaemon); enable clears an earlier `launchctl disable`.
        InitSystem.Launchd => [StartupCommand.Of("launchctl", "enable", LaunchdPlist.ServiceTarget(spec))],
        _ => [StartupCommand.Of("schtasks", "/Create", "/TN", WindowsTask.TaskName(spec), "/XML", path, "/F")],
    };

    private static (List<StartupCommand> Before, List<StartupCommand> After) UninstallCommands(InitSystem system, StartupSpec spec) => system switch
    {
        InitSystem.Systemd =>
        (
            [StartupCommand.Of("systemctl", [.. SystemdUnit.Systemctl(spec), "disable", SystemdUnit.UnitName(spec)])],
            [StartupCommand.Of("systemctl", [.. SystemdUnit.Systemctl(spec), "daemon-reload"])]
        ),
        InitSystem.Launchd => ([StartupCommand.Of("launchctl", "bootout", LaunchdPlist.ServiceTarget(spec))], []),
        _ => ([StartupCommand.Of("schtasks", "/Delete", "/TN", WindowsTask.TaskName(spec), "/F")], []),
    };

    private List<string> NextSteps(InitSystem system, StartupSpec spec, string path)
    {
        var sup = string.Join(' ', spec.SupCommand.Select(a => a.Any(char.IsWhiteSpace) ? $"\"{a}\"" : a));
        var steps = new List<string>();
        if (!File.Exists(Resolve(Path.Combine(spec.SupHome, "dump.yaml"))))
            steps.Add($"{sup} save    # nothing is saved yet: the apps running when you save are what starts at boot");
        switch (system)
        {
            case InitSystem.Systemd when spec.Scope == StartupScope.User:
                steps.Add($"loginctl enable-linger {spec.UserName}    # start your user manager, and sup, at boot instead of at your first login");
                steps.Add($"{sup} kill && systemctl --user start {SystemdUnit.UnitName(spec)}    # optional: hand the running daemon to systemd now");
                break;
            case InitSystem.Systemd:
                steps.Add($"{sup} kill && sudo systemctl start {SystemdUnit.UnitName(spec)}    # optional: hand the running daemon to systemd now");
                break;
            case InitSystem.Launchd when spec.Scope == StartupScope.User:
                steps.Add($"{sup} kill && launchctl bootstrap gui/{spec.UserId?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "$(id -u)"} {path}    # optional: load it now instead of at your next login");
                break;
            case InitSystem.Launchd:
                steps.Add($"{sup} kill && sudo launchctl bootstrap system {path}    # optional: load it now instead of at the next boot");
                break;
            default:
                steps.Add($"{sup} kill && schtasks /Run /TN {WindowsTask.TaskName(spec)}    # optional: hand the running daemon to Task Scheduler now");
                break;
        }

        return steps;
    }

    private void Write(InitSystem system, StartupSpec spec, string path, string content)
    {
        var target = Resolve(path);
        var bytes = system == InitSystem.Windows
            ? [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes(content.ReplaceLineEndings("\r\n"))]
            : new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(content);
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            AtomicFile.WriteAllBytes(target, bytes);
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException || ex.InnerException is UnauthorizedAccessException)
        {
            var how = spec.Scope == StartupScope.System
                ? $" A --system entry is installed by root: sudo env PATH=\"$PATH\" SUP_HOME=\"{spec.SupHome}\" {string.Join(' ', spec.SupCommand)} startup {system.ToString().ToLowerInvariant()} --system"
                : "";
            throw new SupException(SupError.Io, $"Cannot write {path}: permission denied.{how}", ex);
        }
    }

    private static string Failed(InitSystem system, StartupCommand command, CommandResult result)
    {
        var hint = system switch
        {
            InitSystem.Systemd when result.ExitCode == 127 => " systemctl is not installed here; is this a systemd system?",
            InitSystem.Systemd => " Is systemd running (for this user, with --user)? Containers and WSL often run without it.",
            _ when result.ExitCode == 127 => $" {command.FileName} is not installed here.",
            _ => "",
        };
        return $"`{command}` failed: {result.FirstLine.TrimEnd('.')}.{hint}";
    }

    private string Resolve(string path) =>
        fileRoot == "/" ? path : Path.Combine(fileRoot, path.TrimStart('/', '\\').Replace(":", "", StringComparison.Ordinal));
}
