using Microsoft.Extensions.Logging;

namespace Supervisor.Core.Daemon;

/// <summary>
/// The watchers of one loaded ecosystem file (watch_config): the file itself and every file it
/// read through include:, each calling back the reload of the file given to `sup start`. A file
/// that later matches an include glob (a new plugin folder) is read by the next reload of any of them.
/// </summary>
internal sealed class ConfigWatchSet : IAsyncDisposable
{
    private readonly List<ConfigWatcher> _watchers;

    private ConfigWatchSet(IReadOnlyList<string> paths, List<ConfigWatcher> watchers)
    {
        Paths = paths;
        _watchers = watchers;
    }

    /// <summary>The file given to `sup start` first, then its included files.</summary>
    public IReadOnlyList<string> Paths { get; }

    /// <summary>Null when not even the main file can be watched (the reason is logged); an included file that cannot be watched is logged and skipped.</summary>
    public static ConfigWatchSet? TryCreate(
        string path, IReadOnlyList<string> included, Func<string, CancellationToken, Task> reload, TimeProvider time, ILogger log)
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

        return new ConfigWatchSet([path, .. included], watchers);
    }

    public bool Watches(string path, IReadOnlyList<string> included) =>
        Paths.SequenceEqual(included.Prepend(path), StringComparer.Ordinal);

    public async ValueTask DisposeAsync()
    {
        foreach (var watcher in _watchers) await watcher.DisposeAsync();
    }
}
