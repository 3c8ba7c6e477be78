using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Supervisor.Core.Rpc;

/// <summary>
/// One JSON-RPC 2.0 peer over a duplex stream, serving both directions like StreamJsonRpc's
/// <c>JsonRpc</c>: incoming requests go to the <see cref="RpcDispatcher"/> (each on its own
/// task, so a slow request never blocks the next), outgoing calls are tracked by id until
/// their response arrives. Framing is <see cref="FrameReader"/>/<see cref="FrameWriter"/>.
/// </summary>
/// <remarks>
/// Nothing flows until <see cref="RunAsync"/> runs the read loop (<see cref="RpcClient.ConnectAsync"/>
/// starts it for you). Writes are serialised by one lock, so frames never interleave.
/// </remarks>
public sealed partial class RpcConnection : IAsyncDisposable
{
    internal static readonly TimeSpan DefaultDrainTimeout = TimeSpan.FromSeconds(5);

    private readonly Stream _stream;
    private readonly FrameReader _reader;
    private readonly RpcDispatcher? _dispatcher;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _writeLock = new(1, 1);

    // Never disposed: handlers and writers may still look at it after the connection is gone.
    private readonly CancellationTokenSource _closed = new();
    private readonly PendingRequests _pending = new();

    /// <summary>Incoming requests still running, by raw id, so <c>$/cancelRequest</c> can reach them.</summary>
    private readonly ConcurrentDictionary<string, CancellationTokenSource> _inFlight = new(StringComparer.Ordinal);

    /// <summary>Every handler still running, so end of input can let them answer first.</summary>
    private readonly ConcurrentDictionary<Task, byte> _running = new();
    private readonly TimeProvider _time;

    private Task? _readLoop;
    private int _started;
    private int _disposed;

    /// <param name="stream">A connected duplex stream; the connection owns and disposes it.</param>
    /// <param name="dispatcher">Methods this side serves; null for a pure client (requests then get -32601).</param>
    public RpcConnection(
        Stream stream,
        RpcDispatcher? dispatcher = null,
        ILogger? logger = null,
        int maxFrameBytes = FrameReader.DefaultMaxFrameBytes,
        TimeProvider? timeProvider = null)
    {
        _stream = stream;
        _time = timeProvider ?? TimeProvider.System;
        _reader = new FrameReader(stream, maxFrameBytes);
        _dispatcher = dispatcher;
        _logger = logger ?? NullLogger.Instance;
        Closed = _closed.Token;
    }

    /// <summary>
    /// Cancelled when the peer goes away (EOF, a bad frame, a failed write) or the connection
    /// is disposed. After EOF, handlers still running first get <see cref="DrainTimeout"/> to answer.
    /// </summary>
    public CancellationToken Closed { get; }

    /// <summary>
    /// How long handlers still running at end of input may take to answer. A peer that only
    /// shut down its sending side (<c>printf ... | socat - UNIX-CONNECT:...</c>) still reads
    /// the replies; one that is really gone costs a streaming handler this long at most.
    /// </summary>
    internal TimeSpan DrainTimeout { get; init; } = DefaultDrainTimeout;

    /// <summary>
    /// Reads and dispatches frames until the peer closes, a frame is bad (it is answered with
    /// -32700 and the connection closes), or <paramref name="ct"/> is cancelled. Completes
    /// normally in every one of those cases. Can be called once.
    /// </summary>
    public Task RunAsync(CancellationToken ct)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (Interlocked.Exchange(ref _started, 1) != 0)
        {
            throw new InvalidOperationException("The RPC connection is already running.");
        }

        return _readLoop = ReadLoopAsync(ct);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        Close(byPeer: false);
        await _stream.DisposeAsync().ConfigureAwait(false);
        if (_readLoop is { } readLoop)
        {
            await readLoop.ConfigureAwait(false);
        }

        // Only now is no read using the reader's pooled buffer.
        _reader.Dispose();
    }

    private async Task ReadLoopAsync(CancellationToken ct)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct, _closed.Token);
        try
        {
            while (await _reader.ReadFrameAsync(stop.Token).ConfigureAwait(false) is { } frame)
            {
                await ProcessFrameAsync(frame).ConfigureAwait(false);
            }

            await DrainAsync(stop.Token).ConfigureAwait(false);
        }
        catch (RpcFrameException ex)
        {
            _logger.BadFrame(ex.Message);
            await TrySendAsync(EnvelopeWriter.Error(null, new RpcError(RpcErrorCodes.ParseError, ex.Message))).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            // The transport failed (reset, disposed under us): the peer is gone either way.
            _logger.ConnectionFailed(ex.Message);
        }
        finally
        {
            Close(byPeer: true);
        }
    }

    /// <summary>Clean end of input: lets running handlers answer, for at most <see cref="DrainTimeout"/>.</summary>
    private async Task DrainAsync(CancellationToken ct)
    {
        Task[] running = [.. _running.Keys];
        if (running.Length == 0)
        {
            return;
        }

        try
        {
            await Task.WhenAll(running).WaitAsync(DrainTimeout, _time, ct).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Most likely a streaming handler whose client is gone: closing stops it.
        }
    }

    /// <summary>Marks the connection closed: cancels running handlers and fails waiting calls.</summary>
    private void Close(bool byPeer)
    {
        if (_closed.IsCancellationRequested)
        {
            return;
        }

        try
        {
            _closed.Cancel();
        }
        catch (AggregateException ex)
        {
            // A handler's cancellation callback threw; the connection still closes.
            _logger.ConnectionFailed(ex.Message);
        }

        _pending.Close(byPeer
            ? ClosedByDaemon
            : method => new ObjectDisposedException(nameof(RpcConnection), $"The RPC connection was closed before '{method}' was answered."));
    }

    /// <summary>What a caller sees when the daemon hangs up before answering its request.</summary>
    internal static SupException ClosedByDaemon(string method) =>
        new(SupError.DaemonNotRunning, $"The sup daemon closed the connection before answering '{method}'. Its log, daemon.log in SUP_HOME, may say why.");

    /// <summary>Writes one frame. Throws <see cref="OperationCanceledException"/> on <see cref="Closed"/> once the connection is closed.</summary>
    private async ValueTask SendAsync(ReadOnlyMemory<byte> json, CancellationToken ct)
    {
        Closed.ThrowIfCancellationRequested();
        await _writeLock.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            // The caller's token only bounds the wait for the lock: a frame abandoned half-way
            // would corrupt the stream for every later message. Closing aborts a stuck write.
            await FrameWriter.WriteFrameAsync(_stream, json, Closed).ConfigureAwait(false);
            await _stream.FlushAsync(Closed).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or OperationCanceledException)
        {
            Close(byPeer: true);
            throw new OperationCanceledException("The RPC connection is closed.", ex, Closed);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>Sends a reply nobody waits on; a peer that went away is not an error.</summary>
    private async ValueTask TrySendAsync(ReadOnlyMemory<byte> json)
    {
        try
        {
            await SendAsync(json, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            _logger.ConnectionFailed(ex.Message);
        }
    }
}
