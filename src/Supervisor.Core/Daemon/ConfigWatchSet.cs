using Microsoft.Extensions.Logging;
using Supervisor.Core.Config;

namespace Supervisor.Core.Daemon;

/// <summary>
/// The watchers of one loaded ecosystem file (watch_config): the file itself and every file it
/// read through include:, each calling back the reload of the file given to `sup start`; and
/// the folders of its include: globs, so that a file that newly matches one (a new plugin
/// folder, a drop-in added to conf.d/) or stops matching reloads the set too.
/// </summary>
internal sealed class ConfigWatchSet : IAsyncDisposable
{
    private readonly List<ConfigWatcher> _watchers;
    private readonly List<FileSystemWatcher> _folders;

    private ConfigWatchSet(IReadOnlyList<string> paths, IReadOnlyList<IncludeGlob> globs, List<ConfigWatcher> watchers, List<FileSystemWatcher> folders)
    {
        Paths = paths;
        Globs = globs;
        _watchers = watchers;
        _folders = folders;
    }

    /// <summary>The file given to `sup start` first, then its included files.</summary>
    public IReadOnlyList<string> Paths { get; }

    public IReadOnlyList<IncludeGlob> Globs { get; }

    /// <summary>Null when not even the main file can be watched (the reason is logged); an included file or folder that cannot be watched is logged and skipped.</summary>
    public static ConfigWatchSet? TryCreate(
        string path, IReadOnlyList<string> included, IReadOnlyList<IncludeGlob> globs,
        Func<string, CancellationToken, Task> reload, TimeProvider time, ILogger log)
    {
        var watchers = new List<ConfigWatcher>();
        foreach (var file in included.Prepend(path))
        {
            try
            {
                watchers.Add(new ConfigWatcher(file, ct => reload(path, ct), time, log));
            }
            catch (Exception ex) when (ex is SupException or IOException or ArgumentException or UnauthorizedAccessException)
            {
                // inotify limits or a vanished folder must not fail the start that asked for watching.
                log.LogWarning("cannot watch {File} for changes: {Message}", file, ex.Message);
                if (file == path) return null;
            }
        }

        // The main file's watcher debounces these too: a folder copied in is one reload.
        var main = watchers[0];
        var folders = new List<FileSystemWatcher>();
        foreach (var group in globs.GroupBy(g => g.BaseFolder, StringComparer.Ordinal))
        {
            try
            {
                folders.Add(WatchFolder(group.Key, [.. group], main.Poke));
            }
            catch (Exception ex) when (ex is IOException or ArgumentException or UnauthorizedAccessException)
            {
                log.LogWarning("cannot watch {Folder} for new included files: {Message}", group.Key, ex.Message);
            }
        }

        return new ConfigWatchSet([path, .. included], globs, watchers, folders);
    }

    private static FileSystemWatcher WatchFolder(string folder, IReadOnlyList<IncludeGlob> globs, Action poke)
    {
        var spans = globs.Any(g => g.SpansFolders);
        var watcher = new FileSystemWatcher(folder)
        {
            IncludeSubdirectories = spans,
            NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName,
        };
        // A folder that appears (a plugin copied in) may already hold its file, whose own event
        // came before the watch on the new folder: a reload reads whatever is there.
        void Seen(string fullPath) { if ((spans && Directory.Exists(fullPath)) || globs.Any(g => g.IsMatch(fullPath))) poke(); }
        watcher.Created += (_, e) => Seen(e.FullPath);
        watcher.Deleted += (_, e) => { if (spans || globs.Any(g => g.IsMatch(e.FullPath))) poke(); };
        watcher.Renamed += (_, e) => { Seen(e.FullPath); if (globs.Any(g => g.IsMatch(e.OldFullPath))) poke(); };
        watcher.Error += (_, _) => poke();
        if (!Directory.Exists(folder)) throw new DirectoryNotFoundException($"{folder} does not exist.");
        watcher.EnableRaisingEvents = true;
        return watcher;
    }

    public bool Watches(string path, IReadOnlyList<string> included, IReadOnlyList<IncludeGlob> globs) =>
        Paths.SequenceEqual(included.Prepend(path), StringComparer.Ordinal) && Globs.SequenceEqual(globs);

    public async ValueTask DisposeAsync()
    {
        foreach (var folder in _folders) folder.Dispose();
        foreach (var watcher in _watchers) await watcher.DisposeAsync();
    }
}
