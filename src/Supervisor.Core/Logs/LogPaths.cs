namespace Supervisor.Core.Logs;

/// <summary>Default locations of app logs and the names rotation gives their older files.</summary>
public static class LogPaths
{
    /// <summary><c>$SUP_HOME/logs/NAME-out.log</c>.</summary>
    public static string Out(string supHome, string app) => Path.Combine(supHome, "logs", Config.AppNames.FileSafe(app) + "-out.log");

    /// <summary><c>$SUP_HOME/logs/NAME-err.log</c>.</summary>
    public static string Err(string supHome, string app) => Path.Combine(supHome, "logs", Config.AppNames.FileSafe(app) + "-err.log");

    /// <summary><c>$SUP_HOME/logs/NAME.log</c>: PM2's combined log (log_file: true).</summary>
    public static string Combined(string supHome, string app) => Path.Combine(supHome, "logs", Config.AppNames.FileSafe(app) + ".log");

    /// <summary>Where an app's stdout goes.</summary>
    public static string OutOf(string supHome, Config.AppSpec spec) => spec.OutFile ?? Out(supHome, spec.Name);

    /// <summary>Where an app's stderr goes (error_file may name the same file as out_file).</summary>
    public static string ErrOf(string supHome, Config.AppSpec spec) => spec.ErrorFile ?? Err(supHome, spec.Name);

    /// <summary>PM2's log_file, a third file with both streams; null when the app has none.</summary>
    public static string? CombinedOf(string supHome, Config.AppSpec spec) =>
        spec.LogFile ?? (spec.CombinedLog ? Combined(supHome, spec.Name) : null);

    /// <summary>
    /// The rotated files of <paramref name="logPath"/> that exist (dated ones from log_rotate first,
    /// then <c>.N</c> or <c>.N.gz</c>, oldest first), then the live file itself if it exists: the
    /// order to read them for "last N lines".
    /// </summary>
    public static IReadOnlyList<string> ExistingOldestFirst(string logPath)
    {
        var dated = DatedFileSet.Find(logPath).Select(f => f.Path);
        var files = dated.Concat(RotatedFileName.Find(logPath)
            .GroupBy(f => f.Index)
            // Both forms exist for an instant while a file is being compressed; the .gz is complete by then.
            .Select(sameIndex => sameIndex.OrderByDescending(f => f.Compressed).First())
            .OrderByDescending(f => f.Index)
            .Select(f => f.Path))
            .ToList();
        if (File.Exists(logPath))
        {
            files.Add(logPath);
        }
        return files;
    }
}
