using System.Text.Json;
using Microsoft.Extensions.Logging;
using Supervisor.Core.Platform;

namespace Supervisor.Core.Daemon;

/// <summary>
/// state.json: loaded once at start, changed in memory under one lock, written atomically
/// (temp file, fsync, rename) on a short debounce so a burst of changes costs one write and
/// the restart path never waits on the disk.
/// </summary>
/// <remarks>
/// A write that fails (disk full, the folder briefly unwritable) never stops the writer: it is
/// logged and retried with a doubling delay (1 s up to 30 s) until state.json is written again.
/// Meanwhile the apps run as before; only a daemon restarted before then would miss the changes.
/// </remarks>
public sealed class StateStore : IAsyncDisposable
{
    private static readonly TimeSpan Debounce = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan LastRetry = TimeSpan.FromSeconds(30);

    private readonly string _path;
    private readonly ILogger _log;
    private readonly Lock _gate = new();
    private readonly Lock _writing = new();
    private readonly DaemonState _state;
    private readonly SemaphoreSlim _dirty = new(0, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _writer;
    private readonly TimeProvider _time;
    private int _failures;

    public StateStore(string path, ILogger log, TimeProvider time)
    {
        _path = path;
        _log = log;
        _time = time;
        _state = Load(path, log);
        _writer = Task.Run(WriteLoopAsync);
    }

    /// <summary>Why the last write of state.json failed; null once it has been written.</summary>
    public string? WriteProblem { get; private set; }

    private static DaemonState Load(string path, ILogger log)
    {
        if (!File.Exists(path)) return new DaemonState();
        try
        {
            return JsonSerializer.Deserialize(File.ReadAllText(path), DaemonStateJson.Default.DaemonState) ?? new DaemonState();
        }
        catch (Exception ex) when (ex is JsonException or IOException)
        {
            // Never lose the evidence: keep the unreadable file beside the fresh one.
            var aside = path + ".corrupt-" + DateTime.UtcNow.ToString("yyyyMMddHHmmss");
            try { File.Copy(path, aside, overwrite: true); } catch (IOException) { }
            log.LogError("state.json could not be read ({Message}); kept as {Aside}, starting with empty state", ex.Message, aside);
            return new DaemonState();
        }
    }

    /// <summary>Reads under the lock; the callback must not keep references to mutable parts.</summary>
    public T Read<T>(Func<DaemonState, T> read)
    {
        lock (_gate) return read(_state);
    }

    public void Update(Action<DaemonState> change)
    {
        lock (_gate) change(_state);
        MarkDirty();
    }

    private void MarkDirty()
    {
        if (_dirty.CurrentCount == 0)
        {
            try { _dirty.Release(); } catch (SemaphoreFullException) { }
        }
    }

    /// <summary>
    /// Writes now (shutdown, or when the caller must know it is on disk). Never throws: false when
    /// the write failed, which is logged and retried by the writer (see <see cref="WriteProblem"/>).
    /// </summary>
    public bool Flush()
    {
        lock (_writing)
        {
            string json;
            lock (_gate) json = JsonSerializer.Serialize(_state, DaemonStateJson.Default.DaemonState);
            try
            {
                AtomicFile.WriteAllText(_path, json);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                _failures++;
                WriteProblem = $"state.json could not be written ({ex.Message}); the apps are not affected, sup retries";
                if (_failures == 1)
                    _log.LogError("could not write {Path}: {Message}; retrying until it can (the apps are not affected)", _path, ex.Message);
                else
                    _log.LogWarning("could not write {Path} (attempt {Attempt}): {Message}", _path, _failures, ex.Message);
                MarkDirty(); // the writer owes a write, even if no change comes
                return false;
            }

            if (_failures > 0)
                _log.LogInformation("{Path} written again after {Failures} failed attempt(s)", _path, _failures);
            _failures = 0;
            WriteProblem = null;
            return true;
        }
    }

    private async Task WriteLoopAsync()
    {
        var retries = 0;
        try
        {
            while (true)
            {
                await _dirty.WaitAsync(_stop.Token);
                await Task.Delay(retries == 0 ? Debounce : RetryDelay(retries), _time, _stop.Token);
                retries = Flush() ? 0 : retries + 1;
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static TimeSpan RetryDelay(int retries) =>
        TimeSpan.FromTicks(Math.Min(LastRetry.Ticks, FirstRetry.Ticks << Math.Min(retries - 1, 10)));

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _writer;
        Flush();
    }
}
