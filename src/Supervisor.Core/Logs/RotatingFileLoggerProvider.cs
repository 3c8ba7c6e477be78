using System.Buffers;
using System.Collections.Concurrent;
using System.Text;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace Supervisor.Core.Logs;

/// <summary>
/// Microsoft.Extensions.Logging provider for the daemon's own <c>daemon.log</c>: one line per
/// message, <c>2026-11-22T09:00:00.123+01:00 info  [Category] message</c>, with continuation lines
/// (multi-line messages, exceptions) indented, written through a <see cref="RotatingLogFile"/>.
/// </summary>
/// <remarks>
/// Logging never blocks the caller: lines go into a bounded queue that one task drains in
/// batches. If the disk cannot keep up the newest messages are dropped and the loss is logged.
/// Disposing drains the queue.
/// </remarks>
public sealed class RotatingFileLoggerProvider : ILoggerProvider, IAsyncDisposable
{
    public const long DefaultMaxSize = 10 * 1024 * 1024;
    public const int DefaultRetain = 5;

    private const int QueueCapacity = 10_000;
    private const int BatchBytes = 256 * 1024;
    private static readonly TimeSpan DisposeTimeout = TimeSpan.FromSeconds(5);

    private readonly RotatingLogFile _file;
    private readonly TimeProvider _time;
    private readonly Channel<string> _queue;
    private readonly ConcurrentDictionary<string, RotatingFileLogger> _loggers = new(StringComparer.Ordinal);
    private readonly Task _drain;
    private long _dropped;
    private int _disposed;

    /// <summary>Logs to <paramref name="path"/>, rotated at 10 MB, 5 files kept.</summary>
    public RotatingFileLoggerProvider(string path, TimeProvider time)
        : this(new LogFileOptions(path, DefaultMaxSize, DefaultRetain, Compress: false), time)
    {
    }

    public RotatingFileLoggerProvider(LogFileOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        _time = time;
        _file = new RotatingLogFile(options, time);
        _queue = Channel.CreateBounded<string>(
            new BoundedChannelOptions(QueueCapacity)
            {
                FullMode = BoundedChannelFullMode.DropWrite,
                SingleReader = true,
            },
            _ => Interlocked.Increment(ref _dropped));
        _drain = Task.Run(DrainAsync);
    }

    public string Path => _file.Path;

    public ILogger CreateLogger(string categoryName) =>
        _loggers.GetOrAdd(categoryName, static (name, provider) => new RotatingFileLogger(name, provider), this);

    internal TimeProvider Time => _time;

    internal void Enqueue(string line) => _queue.Writer.TryWrite(line);

    /// <summary>
    /// Writes what is queued and closes the file. Synchronous because <see cref="ILoggerProvider"/>
    /// is (LoggerFactory calls it at shutdown); the drain runs on the thread pool, so waiting here
    /// cannot deadlock, and it is bounded so a stuck disk cannot hang the daemon's exit.
    /// </summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }
        _queue.Writer.TryComplete();
        _drain.Wait(DisposeTimeout);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }
        _queue.Writer.TryComplete();
        try
        {
            await _drain.WaitAsync(DisposeTimeout, _time).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // A stuck disk: give up on the queued lines rather than hang the daemon's exit.
        }
    }

    private async Task DrainAsync()
    {
        var batch = new ArrayBufferWriter<byte>(BatchBytes);
        var reader = _queue.Reader;
        try
        {
            while (await reader.WaitToReadAsync().ConfigureAwait(false))
            {
                while (batch.WrittenCount < BatchBytes && reader.TryRead(out var line))
                {
                    Encoding.UTF8.GetBytes(line, batch);
                }
                var dropped = Interlocked.Exchange(ref _dropped, 0);
                if (dropped > 0)
                {
                    Encoding.UTF8.GetBytes(
                        RotatingFileLogger.Format(_time.GetLocalNow(), LogLevel.Warning, nameof(RotatingFileLoggerProvider),
                            $"{dropped} log messages were dropped because the log file could not keep up.", null),
                        batch);
                }
                await _file.WriteAsync(batch.WrittenMemory, CancellationToken.None).ConfigureAwait(false);
                batch.ResetWrittenCount();
            }
        }
        finally
        {
            await _file.DisposeAsync().ConfigureAwait(false);
        }
    }
}
