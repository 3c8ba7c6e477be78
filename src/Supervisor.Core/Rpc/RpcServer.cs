using System.Collections.Concurrent;
using System.IO.Pipes;
using Microsoft.Extensions.Logging;
using StreamJsonRpc;

namespace Supervisor.Core.Rpc;

/// <summary>
/// The daemon's listener: a named pipe (a Unix domain socket at <paramref name="socketPath"/>
/// on Unix) that only the owning user may open, serving each client with its own
/// <see cref="SupJsonRpc"/>; <paramref name="addTargets"/> gives each connection its methods.
/// </summary>
/// <remarks>
/// Creating the first pipe instance deletes whatever file is at the path, then binds: keep a
/// single daemon per path with a lock file before calling <see cref="RunAsync"/>.
/// </remarks>
public sealed partial class RpcServer(string socketPath, Action<JsonRpc> addTargets, ILogger logger, TimeProvider? timeProvider = null)
{
    /// <summary>How long to wait before accepting again after an unexpected accept failure (e.g. out of file descriptors).</summary>
    private static readonly TimeSpan AcceptRetryDelay = TimeSpan.FromMilliseconds(200);

    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;

    public string SocketPath => socketPath;

    /// <summary>What each connection may use.</summary>
    public RpcLimits Limits { get; init; } = RpcLimits.Default;

    /// <summary>
    /// Accepts and serves clients until <paramref name="ct"/> is cancelled, then disposes
    /// every connection and returns (normally). A bad client only loses its own connection.
    /// </summary>
    public async Task RunAsync(CancellationToken ct)
    {
        PrepareDirectory();
        var serving = new ConcurrentDictionary<SupJsonRpc, Task>();
        NamedPipeServerStream listener = CreateInstance();
        RestrictSocketFile();
        logger.Listening(socketPath);

        Task accept = Task.CompletedTask;
        try
        {
            while (!ct.IsCancellationRequested)
            {
                try
                {
                    // WaitForConnectionAsync only looks at the token before it starts waiting.
                    accept = listener.WaitForConnectionAsync(ct);
                    await accept.WaitAsync(ct).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (ct.IsCancellationRequested)
                {
                    break;
                }
                catch (UnauthorizedAccessException ex)
                {
                    // CurrentUserOnly: another user's process connected. Refuse it, keep serving.
                    logger.ClientRefused(socketPath, ex.Message);
                    listener = await ReplaceAsync(listener).ConfigureAwait(false);
                    continue;
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // E.g. out of file descriptors (a SocketException): back off, keep the daemon reachable.
                    logger.AcceptFailed(ex, socketPath);
                    listener = await ReplaceAsync(listener).ConfigureAwait(false);
                    await Task.Delay(AcceptRetryDelay, _time, ct).ConfigureAwait(false);
                    continue;
                }

                NamedPipeServerStream connected = listener;
                listener = CreateInstance();
                var connection = SupJsonRpc.Create(connected, logger, Limits, _time);
                Serve(connection, serving);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        finally
        {
            await listener.DisposeAsync().ConfigureAwait(false);
            foreach (SupJsonRpc connection in serving.Keys)
            {
                connection.Dispose();
            }

            await Task.WhenAll(serving.Values).ConfigureAwait(false);

            // With every instance disposed the listening socket is closed, which ends (or
            // has ended) the abandoned accept; observe it so its failure is not reported as unobserved.
            await accept.ContinueWith(static _ => { }, TaskScheduler.Default).ConfigureAwait(false);
        }
    }

    private void Serve(SupJsonRpc connection, ConcurrentDictionary<SupJsonRpc, Task> serving)
    {
        Task task = ServeAsync(connection);
        serving[connection] = task;
        _ = task.ContinueWith(_ => serving.TryRemove(connection, out Task? _), TaskScheduler.Default);
    }

    private async Task ServeAsync(SupJsonRpc connection)
    {
        // Off the accept loop: the read loop runs synchronously until its first read waits.
        await Task.Yield();
        try
        {
            addTargets(connection);
            connection.StartListening();
            await connection.Completion.ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // A bad frame or a transport failure: this client only loses its connection.
            logger.ConnectionFailed(ex.Message);
        }
        finally
        {
            connection.Dispose();
        }
    }

    /// <summary>
    /// One pipe instance is one connection. Instances at the same path share one listening
    /// socket, which is unbound (and its file deleted) when the last instance is disposed, so
    /// the next instance always exists before the previous one can go away.
    /// </summary>
    private NamedPipeServerStream CreateInstance() => new(
        socketPath,
        PipeDirection.InOut,
        NamedPipeServerStream.MaxAllowedServerInstances,
        PipeTransmissionMode.Byte,
        PipeOptions.Asynchronous | PipeOptions.CurrentUserOnly);

    private async ValueTask<NamedPipeServerStream> ReplaceAsync(NamedPipeServerStream failed)
    {
        NamedPipeServerStream next = CreateInstance();
        await failed.DisposeAsync().ConfigureAwait(false);
        return next;
    }

    private void PrepareDirectory()
    {
        if (OperatingSystem.IsWindows() || Path.GetDirectoryName(socketPath) is not { Length: > 0 } directory)
        {
            return;
        }

        Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    /// <summary>CurrentUserOnly checks the peer's uid but leaves the socket srwxr-xr-x: close it to others too.</summary>
    private void RestrictSocketFile()
    {
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(socketPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }
}
