namespace Supervisor.Core.Logs;

/// <summary>Default locations of app logs and the names rotation gives their older files.</summary>
public static class LogPaths
{
    /// <summary><c>$SUP_HOME/logs/NAME-out.log</c>.</summary>
    public static string Out(string supHome, string app) => Path.Combine(supHome, "logs", app + "-out.log");

    /// <summary><c>$SUP_HOME/logs/NAME-err.log</c>.</summary>
    public static string Err(string supHome, string app) => Path.Combine(supHome, "logs", app + "-err.log");

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
