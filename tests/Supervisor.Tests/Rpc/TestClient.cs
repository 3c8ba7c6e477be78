using System.Net.Sockets;
using StreamJsonRpc;
using Supervisor.Core.Rpc;

namespace Supervisor.Tests.Rpc;

/// <summary>A StreamJsonRpc client of <see cref="ITestService"/>, set up as the CLI's <see cref="DaemonConnection"/> is.</summary>
internal sealed class TestClient : IAsyncDisposable
{
    private TestClient(SupJsonRpc rpc)
    {
        Rpc = rpc;
        Service = rpc.Attach<ITestService>();
    }

    public SupJsonRpc Rpc { get; }

    public ITestService Service { get; }

    /// <param name="onLog">Receives the params of each `log` notification.</param>
    public static async Task<TestClient> ConnectAsync(string socketPath, Action<string>? onLog = null)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath));
        var rpc = SupJsonRpc.Create(new NetworkStream(socket, ownsSocket: true));
        if (onLog is not null)
        {
            rpc.AddLocalRpcMethod("log", onLog);
        }

        var client = new TestClient(rpc);
        rpc.StartListening();
        return client;
    }

    /// <summary>As <see cref="DaemonConnection.CallAsync{T}"/>: sup's exceptions for the daemon's errors.</summary>
    public async Task<T> CallAsync<T>(Func<ITestService, Task<T>> call)
    {
        try
        {
            return await call(Service);
        }
        catch (Exception ex) when (ex is RemoteRpcException or ConnectionLostException)
        {
            throw RpcErrorMapping.ToException(ex);
        }
    }

    public Task CallAsync(Func<ITestService, Task> call) => CallAsync(async s => { await call(s); return true; });

    public async ValueTask DisposeAsync()
    {
        Rpc.Dispose();
        await Rpc.Completion.ContinueWith(_ => { }, TaskScheduler.Default);
    }
}
