namespace Supervisor.Core.Logs;

/// <summary>
/// One <see cref="RotatingLogFile"/> per path in the daemon. Instances with merge_logs write one
/// file (PM2's meaning), and two apps may name the same out_file: two writers of one file would
/// each count its size and rotate it under the other. The file serializes whole lines from any
/// number of pumps, so they share it; the last user closes it.
/// </summary>
internal static class SharedLogFiles
{
    private static readonly Lock Gate = new();
    private static readonly Dictionary<string, Entry> Files = new(StringComparer.Ordinal);

    private sealed class Entry(RotatingLogFile file)
    {
        public RotatingLogFile File { get; } = file;
        public int Users { get; set; } = 1;
    }

    /// <summary>The open file at the options' path, or a new one (the first user's size and retention win).</summary>
    public static RotatingLogFile Acquire(LogFileOptions options, TimeProvider time)
    {
        var path = System.IO.Path.GetFullPath(options.Path);
        lock (Gate)
        {
            if (Files.TryGetValue(path, out var entry))
            {
                entry.Users++;
                return entry.File;
            }

            var file = new RotatingLogFile(options with { Path = path }, time);
            Files[path] = new Entry(file);
            return file;
        }
    }

    /// <summary>Gives one use back; the last closes the file.</summary>
    public static ValueTask ReleaseAsync(RotatingLogFile file)
    {
        lock (Gate)
        {
            if (Files.TryGetValue(file.Path, out var entry) && ReferenceEquals(entry.File, file))
            {
                entry.Users--;
                if (entry.Users > 0)
                {
                    return ValueTask.CompletedTask;
                }

                Files.Remove(file.Path);
            }
        }

        return file.DisposeAsync();
    }
}
