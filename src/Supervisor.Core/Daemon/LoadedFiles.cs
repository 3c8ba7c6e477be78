using Microsoft.Extensions.Logging;

namespace Supervisor.Core.Daemon;

/// <summary>
/// The ecosystem files the daemon has loaded, each with the options it was last loaded with,
/// and a <see cref="ConfigWatcher"/> for each that says watch_config: true. The watcher's
/// callback is given the file's path and looks its options up here when it fires, so a later
/// `sup reload FILE --env other` changes what the next automatic reload uses.
/// </summary>
public sealed class LoadedFiles(Func<string, CancellationToken, Task> reload, TimeProvider time, ILogger log) : IAsyncDisposable
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, (LoadedFile File, ConfigWatchSet? Watcher)> _files = new(StringComparer.Ordinal);

    public IReadOnlyList<LoadedFile> All
    {
        get { lock (_gate) return _files.Values.Select(f => f.File).OrderBy(f => f.Path, StringComparer.Ordinal).ToList(); }
    }

    public LoadedFile? Find(string path)
    {
        lock (_gate) return _files.TryGetValue(path, out var entry) ? entry.File : null;
    }

    public bool IsWatched(string path)
    {
        lock (_gate) return _files.TryGetValue(path, out var entry) && entry.Watcher is not null;
    }

    /// <summary>Records how a file was loaded; starts or stops watching it as its watch_config says.</summary>
    /// <param name="included">
    /// The files it read through include: and the globs it followed, watched along with it; null
    /// (a file restored from the journal) = found again by following the file's includes.
    /// </param>
    public async Task RememberAsync(LoadedFile file, (IReadOnlyList<string> Files, IReadOnlyList<Config.IncludeGlob> Globs)? included = null)
    {
        var (includedFiles, globs) = included ?? (file.Watch ? Config.EcosystemLoader.IncludedFiles(file.Path) : (Array.Empty<string>(), Array.Empty<Config.IncludeGlob>()));
        ConfigWatchSet? retired = null;
        lock (_gate)
        {
            _files.TryGetValue(file.Path, out var entry);
            var watcher = entry.Watcher;
            if (file.Watch && watcher is not null && !watcher.Watches(file.Path, includedFiles, globs))
            {
                retired = watcher; // the includes changed: watch the new set
                watcher = null;
            }

            if (file.Watch && watcher is null)
            {
                watcher = ConfigWatchSet.TryCreate(file.Path, includedFiles, globs, reload, time, log);
                if (watcher is not null && retired is null) log.LogInformation("watching {File} for changes (watch_config)", file.Path);
            }
            else if (!file.Watch && watcher is not null)
            {
                retired = watcher;
                watcher = null;
                log.LogInformation("no longer watching {File} (watch_config is off)", file.Path);
            }

            _files[file.Path] = (file, watcher);
        }

        if (retired is not null) await retired.DisposeAsync();
    }

    /// <summary>No app from the file is left (all deleted): stop watching it, or an edit would bring them back.</summary>
    public async Task ForgetAsync(string path)
    {
        ConfigWatchSet? watcher;
        lock (_gate)
        {
            if (!_files.Remove(path, out var entry)) return;
            watcher = entry.Watcher;
        }

        if (watcher is not null)
        {
            log.LogInformation("no longer watching {File}: none of its apps is left", path);
            await watcher.DisposeAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        List<ConfigWatchSet> watchers;
        lock (_gate)
        {
            watchers = _files.Values.Select(f => f.Watcher).OfType<ConfigWatchSet>().ToList();
            _files.Clear();
        }

        foreach (var watcher in watchers) await watcher.DisposeAsync();
    }
}
