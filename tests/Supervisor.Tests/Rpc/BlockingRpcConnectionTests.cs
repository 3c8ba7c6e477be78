using System.Text.Json;
using System.Text.Json.Nodes;
using Supervisor.Core;
using Supervisor.Core.Rpc;
using Xunit;

namespace Supervisor.Tests.Rpc;

/// <summary>
/// The CLI verbs' one blocking request: results, error replies and cancellation must look to the
/// caller exactly as they do through the async <see cref="RpcClient"/>.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class BlockingRpcConnectionTests : IAsyncLifetime
{
    private TestRpcServer _server = null!;
    private readonly System.Threading.Channels.Channel<bool> _waiting = System.Threading.Channels.Channel.CreateUnbounded<bool>();

    public async Task InitializeAsync()
    {
        _server = await TestRpcServer.StartAsync();
        // Larger than the reader's first buffer, so the frame arrives over many reads.
        _server.Dispatcher.Register("big", (_, _) => ValueTask.FromResult<JsonNode?>(new string('x', 300_000)));
        _server.Dispatcher.Register("wait", async (_, ct) =>
        {
            _waiting.Writer.TryWrite(true);
            await Task.Delay(Timeout.Infinite, ct);
            return null;
        });
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private BlockingRpcConnection Connect() => BlockingRpcConnection.Connect(_server.SocketPath);

    [Fact]
    public void Named_and_positional_parameters_reach_the_method_and_the_result_comes_back()
    {
        using var connection = Connect();

        Assert.Equal(5, connection.Invoke("add", new JsonObject { ["a"] = 2, ["b"] = 3 }, CancellationToken.None).GetInt32());
        Assert.Equal("started web", connection.Invoke("start", new JsonArray("web"), CancellationToken.None).GetString());
    }

    [Fact]
    public void A_null_result_is_a_null_element()
    {
        using var connection = Connect();

        Assert.Equal(JsonValueKind.Null, connection.Invoke("record", new JsonArray("x"), CancellationToken.None).ValueKind);
    }

    [Fact]
    public void An_app_error_arrives_as_the_SupException_the_daemon_threw_with_its_details()
    {
        using var connection = Connect();

        var error = Assert.Throws<SupException>(() => connection.Invoke("fail", null, CancellationToken.None));

        Assert.Equal(SupError.NoSuchApp, error.Error);
        Assert.Equal("No app named 'web'. `sup ls` lists apps.", error.Message);
        Assert.Equal(["Known apps: api, worker."], error.Details);
    }

    [Fact]
    public void An_unknown_method_is_an_rpc_error_with_its_code()
    {
        using var connection = Connect();

        var error = Assert.Throws<RpcException>(() => connection.Invoke("nope", null, CancellationToken.None));

        Assert.Equal(RpcErrorCodes.MethodNotFound, error.Code);
    }

    [Fact]
    public void A_large_result_after_a_small_one_comes_back_whole()
    {
        using var connection = Connect();

        Assert.Equal("pong", connection.Invoke("ping", null, CancellationToken.None).GetString());
        Assert.Equal(300_000, connection.Invoke("big", null, CancellationToken.None).GetString()!.Length);
        Assert.Equal("pong", connection.Invoke("ping", null, CancellationToken.None).GetString());
    }

    [Fact]
    public void Notifications_before_the_answer_are_skipped()
    {
        using var connection = Connect();

        Assert.Equal("done", connection.Invoke("tick", new JsonArray(5), CancellationToken.None).GetString());
    }

    [Fact]
    public async Task Cancelling_ends_the_wait_at_once_and_the_daemon_sees_the_request_cancelled()
    {
        using var connection = Connect();
        using var cancel = new CancellationTokenSource();

        var call = Task.Run(() => connection.Invoke("slow", null, cancel.Token));
        await _server.SlowStarted.Task.WaitAsync(TimeSpan.FromSeconds(10));
        cancel.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call.WaitAsync(TimeSpan.FromSeconds(10)));
        await _server.SlowCancelled.Task.WaitAsync(TimeSpan.FromSeconds(10));
        using var next = Connect();
        Assert.Equal("pong", next.Invoke("ping", null, CancellationToken.None).GetString());
    }

    [Fact]
    public async Task A_cancelled_call_ends_as_cancelled_even_when_the_daemons_cancelled_reply_wins_the_race()
    {
        // The daemon answers $/cancelRequest with a "request cancelled" error at once; whether that
        // reply or the client's own shutdown reaches the blocked read first is down to scheduling
        // (CI saw the reply win). Either way the caller must see a cancellation, so try many times.
        for (var attempt = 0; attempt < 200; attempt++)
        {
            using var connection = Connect();
            using var cancel = new CancellationTokenSource();
            var call = Task.Run(() => connection.Invoke("wait", null, cancel.Token));
            await _waiting.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));

            cancel.Cancel();

            var outcome = await Record.ExceptionAsync(() => call.WaitAsync(TimeSpan.FromSeconds(10)));
            Assert.True(outcome is OperationCanceledException, $"attempt {attempt}: {outcome}");
        }
    }

    [Fact]
    public async Task A_daemon_that_goes_away_before_answering_is_reported_as_such()
    {
        using var connection = Connect();

        var call = Task.Run(() => connection.Invoke("slow", null, CancellationToken.None));
        await _server.SlowStarted.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await _server.StopAsync();

        var error = await Assert.ThrowsAsync<SupException>(() => call.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(SupError.DaemonNotRunning, error.Error);
        Assert.Contains("closed the connection before answering 'slow'", error.Message);
    }

    [Fact]
    public void No_daemon_is_null_from_TryConnect_and_a_clear_error_from_Connect()
    {
        var absent = Path.Combine(_server.Directory, "absent.sock");

        Assert.Null(BlockingRpcConnection.TryConnect(absent));
        var error = Assert.Throws<SupException>(() => BlockingRpcConnection.Connect(absent));
        Assert.Equal(SupError.DaemonNotRunning, error.Error);
        Assert.Equal("The sup daemon is not running.", error.Message);
    }
}
