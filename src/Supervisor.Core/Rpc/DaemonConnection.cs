using StreamJsonRpc;
using Supervisor.Core.Protocol;

namespace Supervisor.Core.Rpc;

/// <summary>
/// The CLI's end of a connection: the <see cref="ISupDaemon"/> proxy StreamJsonRpc generates,
/// and optionally a <see cref="ISupDaemonClient"/> for what the daemon streams back.
/// </summary>
public sealed class DaemonConnection : IAsyncDisposable
{
    private readonly SupJsonRpc _rpc;

    private DaemonConnection(SupJsonRpc rpc, ISupDaemon daemon)
    {
        _rpc = rpc;
        Daemon = daemon;
    }

    /// <summary>The daemon's methods. Prefer <see cref="CallAsync{T}"/>, which gives sup's errors.</summary>
    public ISupDaemon Daemon { get; }

    /// <summary>Completes when the connection ends (the daemon went away, or this was disposed).</summary>
    public Task Completion => _rpc.Completion;

    /// <summary>Starts talking over a connected stream, which the connection then owns.</summary>
    public static DaemonConnection Attach(Stream stream, ISupDaemonClient? listener = null)
    {
        var rpc = SupJsonRpc.Create(stream);
        if (listener is not null)
        {
            rpc.AddLocalRpcTarget(RpcTargetMetadata.FromShape<ISupDaemonClient>(), listener, null);
        }

        // Through JsonRpc: the interceptor StreamJsonRpc generates for Native AOT matches calls on JsonRpc itself.
        var daemon = ((JsonRpc)rpc).Attach<ISupDaemon>();
        rpc.StartListening();
        return new DaemonConnection(rpc, daemon);
    }

    /// <summary>
    /// One call, with the daemon's errors as the exceptions the CLI reports: an application
    /// error as <see cref="SupException"/>, any other as <see cref="RpcException"/>, a lost
    /// connection as <see cref="SupError.DaemonNotRunning"/>.
    /// </summary>
    public async Task<T> CallAsync<T>(Func<ISupDaemon, Task<T>> call)
    {
        try
        {
            return await call(Daemon).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RemoteRpcException or ConnectionLostException)
        {
            throw RpcErrorMapping.ToException(ex);
        }
    }

    /// <inheritdoc cref="CallAsync{T}"/>
    public async Task CallAsync(Func<ISupDaemon, Task> call) =>
        await CallAsync(async d => { await call(d).ConfigureAwait(false); return true; }).ConfigureAwait(false);

    public async ValueTask DisposeAsync()
    {
        _rpc.Dispose();
        try
        {
            await _rpc.Completion.ConfigureAwait(false);
        }
        catch (Exception)
        {
            // The connection's end, however it came, is not this caller's error.
        }
    }
}
