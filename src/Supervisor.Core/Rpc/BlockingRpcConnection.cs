using System.Text.Json;
using System.Text.Json.Nodes;
using System.Runtime.Versioning;
using Supervisor.Core.Platform;

namespace Supervisor.Core.Rpc;

/// <summary>
/// A CLI verb's one request and its response, with blocking calls on a Unix socket: the same
/// envelope, framing, errors and same-user check as <see cref="RpcClient"/>, without its read
/// loop, thread pool hops and socket engine.
/// </summary>
/// <remarks>
/// Every `sup` verb but `logs -f` and `monit` sends exactly one request and waits for its answer,
/// so the async connection's machinery is all start-up cost for them: about 250 methods the JIT
/// compiles on each run, some 30–40 ms (docs/benchmarks.md). Linux on x64 and arm64 only, as
/// <see cref="BlockingUnixSocket"/>; elsewhere the CLI uses <see cref="RpcClient"/>.
/// </remarks>
[UnsupportedOSPlatform("windows")]
public sealed class BlockingRpcConnection : IDisposable
{
    private const long RequestId = 1;

    private readonly BlockingUnixSocket _socket;
    private readonly BlockingFrameReader _frames;

    private BlockingRpcConnection(BlockingUnixSocket socket)
    {
        _socket = socket;
        _frames = new BlockingFrameReader(socket);
    }

    public static bool IsSupported => BlockingUnixSocket.IsSupported;

    /// <summary>
    /// Connects to the daemon at <paramref name="socketPath"/>; null when none listens there (no
    /// socket file, or a stale one). Throws <see cref="SupException"/> when the socket belongs to
    /// another user's process, as <see cref="RpcClient"/> does.
    /// </summary>
    public static BlockingRpcConnection? TryConnect(string socketPath)
    {
        if (!File.Exists(socketPath)
            || BlockingUnixSocket.TryConnect(socketPath, RpcClient.ConnectTimeout, timeoutReads: false) is not { } socket)
        {
            return null;
        }

        if (socket.PeerUserId() is { } uid && uid != Libc.GetEffectiveUid())
        {
            socket.Dispose();
            throw RpcClient.OtherUser(socketPath, uid);
        }
        return new BlockingRpcConnection(socket);
    }

    /// <summary>As <see cref="TryConnect"/>, but no daemon is an error ("The sup daemon is not running.").</summary>
    public static BlockingRpcConnection Connect(string socketPath) => TryConnect(socketPath) ?? throw RpcClient.NotRunning();

    /// <summary>
    /// Sends the request and blocks until its response: the <c>result</c>, or the error reply as
    /// the exception <see cref="RpcClient"/>'s connection would throw. Cancelling
    /// <paramref name="cancellationToken"/> (Ctrl+C) ends the wait at once with
    /// <see cref="OperationCanceledException"/>, after sending <c>$/cancelRequest</c> as the async
    /// client does (an app command the daemon has begun still runs to its end; docs/rpc.md).
    /// </summary>
    /// <param name="params">A <see cref="JsonArray"/> (positional), a <see cref="JsonObject"/> (named) or null.</param>
    public JsonElement Invoke(string method, JsonNode? @params, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(method);
        cancellationToken.ThrowIfCancellationRequested();
        using var cancel = cancellationToken.Register(Cancel);
        try
        {
            _socket.SendAll(FrameWriter.Frame(EnvelopeWriter.Request(RequestId, method, @params).Span));
            while (true)
            {
                var body = _frames.Read();
                // Checked before the frame is read as an answer: once Cancel has sent
                // $/cancelRequest, the daemon may answer "request cancelled" before the shutdown
                // ends the read, and a cancelled call must end as cancelled, not as that error.
                cancellationToken.ThrowIfCancellationRequested();
                if (body is null)
                {
                    throw RpcConnection.ClosedByDaemon(method);
                }
                if (ResponseOf(body, method) is { } result)
                {
                    return result;
                }
            }
        }
        catch (IOException) when (cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException(cancellationToken);
        }
        catch (IOException)
        {
            throw RpcConnection.ClosedByDaemon(method);
        }
        catch (JsonException ex)
        {
            throw new SupException(SupError.Io, $"The sup daemon's answer to '{method}' is not valid JSON: {ex.Message}");
        }
    }

    /// <summary>
    /// Tells the daemon, as the async client does, then ends the blocked read. Runs on the thread
    /// that cancels, while <see cref="Invoke"/> waits in <c>read</c>.
    /// </summary>
    private void Cancel()
    {
        try
        {
            _socket.SendAll(FrameWriter.Frame(EnvelopeWriter.Notification(
                RpcConnection.CancelRequestMethod, new JsonObject { ["id"] = RequestId }).Span));
        }
        catch (IOException)
        {
            // The daemon is gone or not reading: closing is all that is left.
        }
        _socket.Shutdown();
    }

    /// <summary>The result of our request's response; null for any other message (a notification).</summary>
    private static JsonElement? ResponseOf(byte[] body, string method)
    {
        using var message = JsonDocument.Parse(body);
        var root = message.RootElement;
        if (root.ValueKind != JsonValueKind.Object
            || !root.TryGetProperty("id"u8, out var id)
            || id.ValueKind != JsonValueKind.Number
            || !id.TryGetInt64(out var value)
            || value != RequestId)
        {
            return null;
        }
        if (root.TryGetProperty("error"u8, out var error) && error.ValueKind != JsonValueKind.Null)
        {
            throw RpcErrorMapping.ToException(error, method);
        }
        return root.TryGetProperty("result"u8, out var result) ? result.Clone() : default(JsonElement);
    }

    public void Dispose() => _socket.Dispose();
}
