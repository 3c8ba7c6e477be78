using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using Supervisor.Core;
using Supervisor.Core.Rpc;
using Xunit;

namespace Supervisor.Tests.Rpc;

/// <summary>The CLI's side: connecting, calling, and what the user sees when things go wrong.</summary>
public sealed class RpcClientTests : IAsyncLifetime
{
    private TestRpcServer _server = null!;

    public async Task InitializeAsync() => _server = await TestRpcServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task A_call_returns_the_result()
    {
        await using RpcConnection connection = await RpcClient.ConnectAsync(_server.SocketPath, CancellationToken.None);

        JsonElement positional = await connection.InvokeAsync("add", new JsonArray(2, 3), CancellationToken.None);
        JsonElement named = await connection.InvokeAsync("add", new JsonObject { ["a"] = 4, ["b"] = 5 }, CancellationToken.None);
        JsonElement none = await connection.InvokeAsync("ping", null, CancellationToken.None);

        Assert.Equal(5, positional.GetInt32());
        Assert.Equal(9, named.GetInt32());
        Assert.Equal("pong", none.GetString());
    }

    [Fact]
    public async Task Many_concurrent_calls_on_one_connection_each_get_their_own_result()
    {
        await using RpcConnection connection = await RpcClient.ConnectAsync(_server.SocketPath, CancellationToken.None);

        int[] sums = await Task.WhenAll(Enumerable.Range(0, 50).Select(async i =>
            (await connection.InvokeAsync("add", new JsonArray(i, 1000), CancellationToken.None)).GetInt32()));

        Assert.Equal(Enumerable.Range(1000, 50), sums);
    }

    [Fact]
    public async Task An_app_error_from_the_daemon_is_rethrown_as_SupException_with_its_details()
    {
        await using RpcConnection connection = await RpcClient.ConnectAsync(_server.SocketPath, CancellationToken.None);

        var ex = await Assert.ThrowsAsync<SupException>(() => connection.InvokeAsync("fail", null, CancellationToken.None));

        Assert.Equal(SupError.NoSuchApp, ex.Error);
        Assert.Equal("No app named 'web'. `sup ls` lists apps.", ex.Message);
        Assert.Equal(["Known apps: api, worker."], ex.Details);
    }

    [Fact]
    public async Task A_protocol_error_is_thrown_as_RpcException_with_its_code()
    {
        await using RpcConnection connection = await RpcClient.ConnectAsync(_server.SocketPath, CancellationToken.None);

        var notFound = await Assert.ThrowsAsync<RpcException>(() => connection.InvokeAsync("nope", null, CancellationToken.None));
        var crashed = await Assert.ThrowsAsync<RpcException>(() => connection.InvokeAsync("crash", null, CancellationToken.None));

        Assert.Equal(RpcErrorCodes.MethodNotFound, notFound.Code);
        Assert.Equal(RpcErrorCodes.InternalError, crashed.Code);
        Assert.Equal("System.InvalidOperationException", crashed.ErrorData?.GetProperty("type").GetString());
    }

    [Fact]
    public async Task Server_notifications_reach_the_client_in_order_before_the_result()
    {
        await using RpcConnection connection = await RpcClient.ConnectAsync(_server.SocketPath, CancellationToken.None);
        var lines = new ConcurrentQueue<string>();
        connection.NotificationReceived += (method, @params) => lines.Enqueue($"{method}: {@params.GetProperty("line").GetString()}");

        JsonElement result = await connection.InvokeAsync("tick", new JsonObject { ["count"] = 3 }, CancellationToken.None);

        Assert.Equal("done", result.GetString());
        Assert.Equal(["log: line 1", "log: line 2", "log: line 3"], lines);
    }

    [Fact]
    public async Task Cancelling_a_call_cancels_the_handler_on_the_server()
    {
        await using RpcConnection connection = await RpcClient.ConnectAsync(_server.SocketPath, CancellationToken.None);
        using var cancel = new CancellationTokenSource();
        Task<JsonElement> call = connection.InvokeAsync("slow", null, cancel.Token);
        await _server.SlowStarted.Task.WaitAsync(TimeSpan.FromSeconds(10));

        cancel.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        await _server.SlowCancelled.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("pong", (await connection.InvokeAsync("ping", null, CancellationToken.None)).GetString());
    }

    [Fact]
    public async Task A_streaming_handler_stops_when_its_client_goes_away()
    {
        await using TestRpcServer server = await TestRpcServer.StartAsync(drainTimeout: TimeSpan.FromMilliseconds(100));
        RpcConnection connection = await RpcClient.ConnectAsync(server.SocketPath, CancellationToken.None);
        Task<JsonElement> follow = connection.InvokeAsync("follow", null, CancellationToken.None);
        await Poll.UntilAsync(() => server.FollowStarted.Task.IsCompleted, "the stream to start");

        await connection.DisposeAsync();

        await server.FollowStopped.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => follow);
    }

    [Fact]
    public async Task A_call_in_flight_when_the_daemon_stops_fails_with_DaemonNotRunning()
    {
        await using RpcConnection connection = await RpcClient.ConnectAsync(_server.SocketPath, CancellationToken.None);
        Task<JsonElement> call = connection.InvokeAsync("slow", null, CancellationToken.None);
        await _server.SlowStarted.Task.WaitAsync(TimeSpan.FromSeconds(10));

        await _server.StopAsync();

        var ex = await Assert.ThrowsAsync<SupException>(() => call);
        Assert.Equal(SupError.DaemonNotRunning, ex.Error);
        Assert.True(connection.Closed.IsCancellationRequested);
    }

    [Fact]
    public async Task Connecting_to_a_missing_socket_says_the_daemon_is_not_running()
    {
        string missing = Path.Combine(_server.Directory, "absent.sock");

        var ex = await Assert.ThrowsAsync<SupException>(() => RpcClient.ConnectAsync(missing, CancellationToken.None));

        Assert.Equal(SupError.DaemonNotRunning, ex.Error);
        Assert.Equal("The sup daemon is not running.", ex.Message);
    }

    [Fact]
    public async Task Connecting_to_a_stale_socket_says_the_daemon_is_not_running()
    {
        // A daemon that died leaves its socket file behind with nobody listening. (A disposed
        // .NET socket deletes its own file, so move the file away from it first.)
        string stale = Path.Combine(_server.Directory, "stale.sock");
        string bound = Path.Combine(_server.Directory, "bound.sock");
        using (var dead = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified))
        {
            dead.Bind(new UnixDomainSocketEndPoint(bound));
            dead.Listen();
            File.Move(bound, stale);
        }

        Assert.True(File.Exists(stale));

        var ex = await Assert.ThrowsAsync<SupException>(() => RpcClient.ConnectAsync(stale, CancellationToken.None));

        // Not the connect-timeout message: a refused connect must fail at once, not be retried.
        Assert.Equal(SupError.DaemonNotRunning, ex.Error);
        Assert.Equal("The sup daemon is not running.", ex.Message);
    }
}
