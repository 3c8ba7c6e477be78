namespace Supervisor.Core.Startup;

/// <summary>What `sup startup` / `sup unstartup` did (or, dry, would do), for the CLI to print.</summary>
public sealed record StartupReport
{
    public required InitSystem System { get; init; }
    /// <summary>The unit, plist or task definition.</summary>
    public required string FilePath { get; init; }
    public required string Content { get; init; }
    public bool DryRun { get; init; }
    /// <summary>Written (install) or deleted (uninstall); false when dry or, uninstalling, when there was none.</summary>
    public bool FileChanged { get; init; }
    /// <summary>Commands that ran and succeeded, or with --dry-run, those that would run.</summary>
    public IReadOnlyList<string> Commands { get; init; } = [];
    /// <summary>Commands whose failure is expected and harmless (unloading what was not loaded), with why.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];
    /// <summary>What is left to the user.</summary>
    public IReadOnlyList<string> NextSteps { get; init; } = [];
    /// <summary>One line saying which command failed and how; null when all went well.</summary>
    public string? Failure { get; init; }
    /// <summary>The failing command's full output, for the details.</summary>
    public string? FailureOutput { get; init; }
}
