using System.Text.Json;
using Microsoft.Extensions.Logging;
using Supervisor.Core.Platform;

namespace Supervisor.Core.Daemon;

/// <summary>
/// state.json: loaded once at start, changed in memory under one lock, written atomically
/// (temp file, fsync, rename) on a short debounce so a burst of changes costs one write and
/// the restart path never waits on the disk.
/// </summary>
public sealed class StateStore : IAsyncDisposable
{
    private static readonly TimeSpan Debounce = TimeSpan.FromMilliseconds(200);

    private readonly string _path;
    private readonly ILogger _log;
    private readonly Lock _gate = new();
    private readonly DaemonState _state;
    private readonly SemaphoreSlim _dirty = new(0, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _writer;
    private readonly TimeProvider _time;

    public StateStore(string path, ILogger log, TimeProvider time)
    {
        _path = path;
        _log = log;
        _time = time;
        _state = Load(path, log);
        _writer = Task.Run(WriteLoopAsync);
    }

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
        if (_dirty.CurrentCount == 0)
        {
            try { _dirty.Release(); } catch (SemaphoreFullException) { }
        }
    }

    /// <summary>Writes now (shutdown, or when the caller must know it is on disk).</summary>
    public void Flush()
    {
        string json;
        lock (_gate) json = JsonSerializer.Serialize(_state, DaemonStateJson.Default.DaemonState);
        try { AtomicFile.WriteAllText(_path, json); }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            _log.LogError("could not write {Path}: {Message}", _path, ex.Message);
        }
    }

    private async Task WriteLoopAsync()
    {
        try
        {
            while (true)
            {
                await _dirty.WaitAsync(_stop.Token);
                await Task.Delay(Debounce, _time, _stop.Token);
                Flush();
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _writer;
        Flush();
    }
}
