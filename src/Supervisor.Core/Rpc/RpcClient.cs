using Supervisor.Core.Platform;
using Supervisor.Core.Protocol;
using System.IO.Pipes;
using System.Net.Sockets;

namespace Supervisor.Core.Rpc;

/// <summary>Connects the CLI to the daemon.</summary>
public static class RpcClient
{
    /// <summary>A Unix socket connect is immediate when someone listens; this only catches a hung daemon.</summary>
    internal static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Connects and starts listening (dispose the connection to end it).
    /// Fails at once with <see cref="SupError.DaemonNotRunning"/> when no socket file exists or
    /// nothing listens on it (a stale socket left by a dead daemon): no retry loop.
    /// </summary>
    /// <remarks>
    /// On Unix this is a raw <see cref="Socket"/> on a <see cref="UnixDomainSocketEndPoint"/>
    /// rather than <see cref="NamedPipeClientStream"/>, whose connect retries ECONNREFUSED until
    /// its timeout; the peer's uid is checked as <see cref="PipeOptions.CurrentUserOnly"/> would.
    /// </remarks>
    /// <param name="listener">Receives what the daemon streams back (monit), if anything.</param>
    public static Task<DaemonConnection> ConnectAsync(string socketPath, CancellationToken ct, ISupDaemonClient? listener = null) =>
        ConnectAsync(socketPath, TimeProvider.System, ct, listener);

    internal static async Task<DaemonConnection> ConnectAsync(string socketPath, TimeProvider time, CancellationToken ct, ISupDaemonClient? listener = null)
    {
        Stream stream = OperatingSystem.IsWindows()
            ? await ConnectPipeAsync(socketPath, ct).ConfigureAwait(false)
            : await ConnectSocketAsync(socketPath, time, ct).ConfigureAwait(false);
        return DaemonConnection.Attach(stream, listener);
    }

    private static async Task<Stream> ConnectSocketAsync(string socketPath, TimeProvider time, CancellationToken ct)
    {
        if (!File.Exists(socketPath))
        {
            throw NotRunning();
        }

        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            using var timeout = new CancellationTokenSource(ConnectTimeout, time);
            using var connectCancellation = CancellationTokenSource.CreateLinkedTokenSource(ct, timeout.Token);
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), connectCancellation.Token).ConfigureAwait(false);
            EnsureSameUser(socket, socketPath);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch (Exception ex)
        {
            socket.Dispose();
            throw ex switch
            {
                SocketException { SocketErrorCode: SocketError.ConnectionRefused or SocketError.AddressNotAvailable } => NotRunning(),
                SocketException { SocketErrorCode: SocketError.AccessDenied } => new SupException(SupError.Io,
                    $"Permission denied on the sup socket '{socketPath}'. It belongs to another user; run sup as that user or use your own SUP_HOME."),
                SocketException socketError => new SupException(SupError.Io,
                    $"Could not connect to the sup daemon at '{socketPath}': {socketError.Message}"),
                OperationCanceledException when !ct.IsCancellationRequested => new SupException(SupError.DaemonNotRunning,
                    $"The sup daemon did not accept a connection on '{socketPath}' within {ConnectTimeout.TotalSeconds:0} seconds; it may be hung. Its log is daemon.log in SUP_HOME."),
                _ => ex,
            };
        }
    }

    private static void EnsureSameUser(Socket socket, string socketPath)
    {
        uint? peer = UnixPeerCredentials.GetPeerUserId(socket);
        if (peer is { } uid && uid != UnixPeerCredentials.EffectiveUserId)
        {
            throw OtherUser(socketPath, uid);
        }
    }

    internal static SupException OtherUser(string socketPath, uint uid) => new(SupError.Io,
        $"The socket '{socketPath}' is served by another user's process (uid {uid}), not your sup daemon. Remove it or use your own SUP_HOME.");

    private static async Task<Stream> ConnectPipeAsync(string pipeName, CancellationToken ct)
    {
        var pipe = new NamedPipeClientStream(".", pipeName, PipeDirection.InOut, PipeOptions.Asynchronous | PipeOptions.CurrentUserOnly);
        try
        {
            // Windows pipes have no file to look for first; a short timeout keeps "not running" quick.
            await pipe.ConnectAsync(100, ct).ConfigureAwait(false);
            return pipe;
        }
        catch (TimeoutException)
        {
            await pipe.DisposeAsync().ConfigureAwait(false);
            throw NotRunning();
        }
        catch
        {
            await pipe.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    internal static SupException NotRunning() => new(SupError.DaemonNotRunning, "The sup daemon is not running.");
}
