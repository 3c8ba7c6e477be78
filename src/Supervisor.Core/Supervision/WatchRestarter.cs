using Microsoft.Extensions.Logging;

namespace Supervisor.Core.Supervision;

/// <summary>
/// PM2's watch: one FileSystemWatcher (inotify) per watch path, and a callback once a burst of
/// changes that <see cref="WatchFilter"/> does not ignore has been quiet for watch_delay (an
/// editor's save, a build writing twenty files: one restart). inotify costs one watch per folder
/// under a watched folder, node_modules included, out of the user's fs.inotify.max_user_watches,
/// and one inotify instance per path out of fs.inotify.max_user_instances (often 128, for all of
/// the user's programs): a path that cannot be watched is logged once with those limits, and the
/// app runs unwatched rather than not at all.
/// </summary>
public sealed class WatchRestarter : IAsyncDisposable
{
    private readonly WatchFilter _filter;
    private readonly Func<string, Task> _changed;
    private readonly TimeSpan _delay;
    private readonly ILogger _log;
    private readonly string _app;
    private readonly ITimer _quiet;
    private readonly List<FileSystemWatcher> _watchers = [];
    private readonly Lock _gate = new();
    private string? _firstChange;
    private bool _disposed;
    private Task _callback = Task.CompletedTask;

    /// <param name="changed">Called with a reason ("watch: src/app.js changed") after the quiet time; calls never overlap.</param>
    public WatchRestarter(
        string app, IReadOnlyList<string> paths, WatchFilter filter, TimeSpan delay,
        Func<string, Task> changed, TimeProvider time, ILogger log, bool startWatching = true)
    {
        _app = app;
        _filter = filter;
        _delay = delay;
        _changed = changed;
        _log = log;
        _quiet = time.CreateTimer(_ => OnQuiet(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        if (startWatching)
        {
            foreach (var path in paths) Watch(path);
        }
    }

    /// <summary>Folders being watched (each is one inotify watch): for the daemon log and tests.</summary>
    public int WatchedFolders { get; private set; }

    private void Watch(string path)
    {
        if (!Directory.Exists(path) && !Directory.Exists(Path.GetDirectoryName(path)))
        {
            _log.LogWarning("{App}: cannot watch {Path}: neither it nor its folder exists", _app, path);
            return;
        }

        FileSystemWatcher watcher;
        try
        {
            watcher = Directory.Exists(path)
                ? new FileSystemWatcher(path) { IncludeSubdirectories = true }
                : new FileSystemWatcher(Path.GetDirectoryName(path)!, Path.GetFileName(path));
            watcher.NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.LastWrite | NotifyFilters.Size;
            watcher.Changed += (_, e) => Changed(e.FullPath);
            watcher.Created += (_, e) => Changed(e.FullPath);
            watcher.Deleted += (_, e) => Changed(e.FullPath);
            watcher.Renamed += (_, e) =>
            {
                Changed(e.OldFullPath);
                Changed(e.FullPath);
            };
            // A lost event (a full inotify queue) may have been a change: restarting is the safe side.
            watcher.Error += (_, e) =>
            {
                _log.LogWarning("{App}: watching {Path}: {Message}; restarting in case a change was missed", _app, path, e.GetException().Message);
                Poke($"watch: events under {path} were lost");
            };
            watcher.EnableRaisingEvents = true;
        }
        catch (Exception ex) when (ex is IOException or ArgumentException or UnauthorizedAccessException)
        {
            _log.LogError("{App}: cannot watch {Path}: {Message} (inotify limits: fs.inotify.max_user_watches={Watches}, max_user_instances={Instances}); it runs without watching that path",
                _app, path, ex.Message, InotifyLimit("max_user_watches"), InotifyLimit("max_user_instances"));
            return;
        }

        _watchers.Add(watcher);
        var folders = Directory.Exists(path) ? CountFolders(path) : 1;
        WatchedFolders += folders;
        _log.LogInformation("{App}: watching {Path} ({Folders} folder(s), one inotify watch each)", _app, path, folders);
    }

    /// <summary>A change seen by a watcher (tests call it directly).</summary>
    internal void Changed(string fullPath)
    {
        if (_filter.Ignores(fullPath)) return;
        Poke($"watch: {fullPath} changed");
    }

    private void Poke(string reason)
    {
        lock (_gate)
        {
            if (_disposed) return;
            _firstChange ??= reason;
            _quiet.Change(_delay, Timeout.InfiniteTimeSpan);
        }
    }

    private void OnQuiet()
    {
        string reason;
        lock (_gate)
        {
            if (_disposed || _firstChange is null) return;
            if (!_callback.IsCompleted)
            {
                // Still restarting for the last burst: this one is handled when that is done.
                _quiet.Change(_delay, Timeout.InfiniteTimeSpan);
                return;
            }

            reason = _firstChange;
            _firstChange = null;
            _callback = Task.Run(() => CallAsync(reason));
        }
    }

    private async Task CallAsync(string reason)
    {
        try
        {
            await _changed(reason);
        }
        catch (Exception ex)
        {
            _log.LogError(ex, "{App}: restarting after a change failed", _app);
        }
    }

    private static int CountFolders(string root)
    {
        try
        {
            return 1 + Directory.EnumerateDirectories(root, "*", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = FileAttributes.ReparsePoint }).Count();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return 1;
        }
    }

    private static string InotifyLimit(string name)
    {
        try
        {
            return File.ReadAllText("/proc/sys/fs/inotify/" + name).Trim();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return "?";
        }
    }

    public async ValueTask DisposeAsync()
    {
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
        }

        foreach (var watcher in _watchers) watcher.Dispose();
        // A callback under way is not awaited: it queues a restart on the owner, which may be
        // the very command disposing this watcher (an update), and would wait for itself.
        await _quiet.DisposeAsync();
    }
}
