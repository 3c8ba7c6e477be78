using Microsoft.Extensions.Logging;

namespace Supervisor.Core.Daemon;

/// <summary>
/// Watches one ecosystem file (watch_config: true) and calls back once a burst of changes has
/// been quiet for the debounce time: an editor's save is often several events (truncate, write,
/// chmod), and many editors save by writing a temporary file and renaming it over the original,
/// which is a rename (or a delete and a create), not a change of the watched file. Callbacks never
/// overlap; a change seen during one runs another afterwards.
/// </summary>
public sealed class ConfigWatcher : IAsyncDisposable
{
    public static readonly TimeSpan DefaultDebounce = TimeSpan.FromMilliseconds(500);

    // Set while a callback runs, so a callback that disposes its own watcher does not wait for itself.
    private static readonly AsyncLocal<ConfigWatcher?> Current = new();

    private readonly string _fileName;
    private readonly Func<CancellationToken, Task> _changed;
    private readonly ILogger _log;
    private readonly TimeSpan _debounce;
    private readonly FileSystemWatcher _watcher;
    private readonly ITimer _quiet;
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _gate = new();
    private Task _callbacks = Task.CompletedTask;
    private bool _running;
    private bool _pending;
    private bool _disposed;

    /// <exception cref="SupException">The file's folder does not exist.</exception>
    public ConfigWatcher(string file, Func<CancellationToken, Task> changed, TimeProvider time, ILogger log, TimeSpan? debounce = null)
    {
        FilePath = Path.GetFullPath(file);
        _fileName = Path.GetFileName(FilePath);
        _changed = changed;
        _log = log;
        _debounce = debounce ?? DefaultDebounce;
        _quiet = time.CreateTimer(_ => OnQuiet(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);

        var folder = Path.GetDirectoryName(FilePath)!;
        if (!Directory.Exists(folder))
        {
            _quiet.Dispose();
            throw new SupException(SupError.Io, $"Cannot watch {FilePath}: its folder does not exist.");
        }

        // The filter matches a rename when either name is the file's, so "write tmp, rename over"
        // and "rename away, write new" saves are both seen.
        _watcher = new FileSystemWatcher(folder, _fileName)
        {
            IncludeSubdirectories = false,
            NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.CreationTime,
        };
        _watcher.Changed += (_, _) => Poke();
        _watcher.Created += (_, _) => Poke();
        _watcher.Deleted += (_, _) => Poke();
        _watcher.Renamed += (_, _) => Poke();
        // A lost event (queue overflow) might have been ours: reloading an unchanged file is harmless.
        _watcher.Error += (_, e) =>
        {
            _log.LogWarning("watching {File}: {Message}", FilePath, e.GetException().Message);
            Poke();
        };
        _watcher.EnableRaisingEvents = true;
    }

    public string FilePath { get; }

    /// <summary>Something happened to the file: (re)start the quiet period.</summary>
    internal void Poke()
    {
        lock (_gate)
        {
            if (_disposed) return;
            _quiet.Change(_debounce, Timeout.InfiniteTimeSpan);
        }
    }

    private void OnQuiet()
    {
        lock (_gate)
        {
            if (_disposed) return;
            if (_running)
            {
                _pending = true;
                return;
            }

            _running = true;
            _callbacks = Task.Run(CallbackLoopAsync);
        }
    }

    private async Task CallbackLoopAsync()
    {
        Current.Value = this;
        while (true)
        {
            try
            {
                await _changed(_stop.Token);
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
            }
            catch (Exception ex)
            {
                _log.LogError(ex, "reloading {File} after a change failed", FilePath);
            }

            lock (_gate)
            {
                if (!_pending || _disposed)
                {
                    _running = false;
                    return;
                }

                _pending = false;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        Task callbacks;
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
            callbacks = _callbacks;
        }

        _watcher.Dispose();
        await _quiet.DisposeAsync();
        await _stop.CancelAsync();
        if (Current.Value != this) await callbacks;
    }
}
