using System.Collections.Concurrent;
using System.Net.Sockets;
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
        await using var client = await TestClient.ConnectAsync(_server.SocketPath);

        Assert.Equal(5, await client.CallAsync(s => s.AddAsync(2, 3)));
        Assert.Equal("pong", await client.CallAsync(s => s.PingAsync()));
    }

    [Fact]
    public async Task Many_concurrent_calls_on_one_connection_each_get_their_own_result()
    {
        await using var client = await TestClient.ConnectAsync(_server.SocketPath);

        int[] sums = await Task.WhenAll(Enumerable.Range(0, 50).Select(i => client.CallAsync(s => s.AddAsync(i, 1000))));

        Assert.Equal(Enumerable.Range(1000, 50), sums);
    }

    [Fact]
    public async Task An_app_error_from_the_daemon_is_rethrown_as_SupException_with_its_details()
    {
        await using var client = await TestClient.ConnectAsync(_server.SocketPath);

        var ex = await Assert.ThrowsAsync<SupException>(() => client.CallAsync(s => s.FailAsync()));

        Assert.Equal(SupError.NoSuchApp, ex.Error);
        Assert.Equal("No app named 'web'. `sup ls` lists apps.", ex.Message);
        Assert.Equal(["Known apps: api, worker."], ex.Details);
    }

    [Fact]
    public async Task An_unexpected_failure_is_thrown_as_RpcException_with_its_code_and_data()
    {
        await using var client = await TestClient.ConnectAsync(_server.SocketPath);

        var crashed = await Assert.ThrowsAsync<RpcException>(() => client.CallAsync(s => s.CrashAsync()));

        Assert.Equal(RpcErrorCodes.InternalError, crashed.Code);
        Assert.Equal("The method 'crash' failed: boom", crashed.Message);
        Assert.Equal("System.InvalidOperationException", crashed.ErrorData?.GetProperty("type").GetString());
    }

    [Fact]
    public async Task Server_notifications_reach_the_client_in_order()
    {
        // On the wire they come before the result (RpcWireTests); StreamJsonRpc hands them to the
        // client's handler in order, but may complete the call first.
        var lines = new ConcurrentQueue<string>();
        await using var client = await TestClient.ConnectAsync(_server.SocketPath, line => lines.Enqueue(line));

        string result = await client.CallAsync(s => s.TickAsync(3, CancellationToken.None));

        Assert.Equal("done", result);
        await Poll.UntilAsync(() => lines.Count == 3, "three notifications");
        Assert.Equal(["line 1", "line 2", "line 3"], lines);
    }

    [Fact]
    public async Task Cancelling_a_call_cancels_the_handler_on_the_server()
    {
        await using var client = await TestClient.ConnectAsync(_server.SocketPath);
        using var cancel = new CancellationTokenSource();
        Task call = client.CallAsync(s => s.SlowAsync(cancel.Token));
        await _server.SlowStarted.Task.WaitAsync(TimeSpan.FromSeconds(10));

        cancel.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        await _server.SlowCancelled.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("pong", await client.CallAsync(s => s.PingAsync()));
    }

    [Fact]
    public async Task A_streaming_handler_stops_when_its_client_goes_away()
    {
        await using var server = await TestRpcServer.StartAsync(RpcLimits.Default with { DrainTimeout = TimeSpan.FromMilliseconds(100) });
        var client = await TestClient.ConnectAsync(server.SocketPath);
        Task follow = client.CallAsync(s => s.FollowAsync(CancellationToken.None));
        await Poll.UntilAsync(() => server.FollowStarted.Task.IsCompleted, "the stream to start");

        await client.DisposeAsync();

        await server.FollowStopped.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await Assert.ThrowsAnyAsync<Exception>(() => follow);
    }

    [Fact]
    public async Task A_call_in_flight_when_the_daemon_stops_fails_with_DaemonNotRunning()
    {
        await using var client = await TestClient.ConnectAsync(_server.SocketPath);
        Task call = client.CallAsync(s => s.SlowAsync(CancellationToken.None));
        await _server.SlowStarted.Task.WaitAsync(TimeSpan.FromSeconds(10));

        await _server.StopAsync();

        var ex = await Assert.ThrowsAsync<SupException>(() => call);
        Assert.Equal(SupError.DaemonNotRunning, ex.Error);
        Assert.Contains("closed the connection before answering", ex.Message);
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
