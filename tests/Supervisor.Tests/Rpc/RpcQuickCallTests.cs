using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Supervisor.Core.Rpc;
using Xunit;

namespace Supervisor.Tests.Rpc;

/// <summary>The CLI's fast path: one blocking call, the result's JSON as the daemon wrote it, or null.</summary>
public sealed class RpcQuickCallTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private TestRpcServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await TestRpcServer.StartAsync();
        _server.Dispatcher.Register("apps", (_, _) => ValueTask.FromResult<JsonNode?>(new JsonArray(
            new JsonObject { ["name"] = "web", ["reason"] = "quote \" and ] and } and \\ inside", ["pid"] = 42 },
            new JsonObject { ["name"] = "wörker", ["nested"] = new JsonArray(new JsonObject(), new JsonArray()) })));
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public void A_result_comes_back_as_the_full_client_would_print_it()
    {
        byte[]? result = RpcQuickCall.TryInvoke(_server.SocketPath, "apps", Timeout);

        Assert.NotNull(result);
        var text = Encoding.UTF8.GetString(result);
        Assert.Equal("""[{"name":"web","reason":"quote \" and ] and } and \\ inside","pid":42},{"name":"wörker","nested":[{},[]]}]""", text);
    }

    [Fact]
    public void Many_calls_in_a_row_each_get_an_answer()
    {
        for (var i = 0; i < 20; i++)
        {
            Assert.NotNull(RpcQuickCall.TryInvoke(_server.SocketPath, "apps", Timeout));
        }
        Assert.True(_server.RunTask.IsCompleted is false);
    }

    [Fact]
    public void An_error_reply_is_left_to_the_full_client()
    {
        Assert.Null(RpcQuickCall.TryInvoke(_server.SocketPath, "fail", Timeout));
        Assert.Null(RpcQuickCall.TryInvoke(_server.SocketPath, "nope", Timeout));
    }

    [Fact]
    public void A_result_that_is_not_an_object_or_array_is_left_to_the_full_client()
    {
        Assert.Null(RpcQuickCall.TryInvoke(_server.SocketPath, "ping", Timeout));
    }

    [Fact]
    public void No_socket_file_means_null_at_once()
    {
        Assert.Null(RpcQuickCall.TryInvoke(Path.Combine(_server.Directory, "absent.sock"), "apps", Timeout));
    }

    [Fact]
    public void A_stale_socket_nobody_listens_on_means_null()
    {
        string stale = Path.Combine(_server.Directory, "stale.sock");
        string bound = Path.Combine(_server.Directory, "bound.sock");
        using (var dead = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified))
        {
            dead.Bind(new UnixDomainSocketEndPoint(bound));
            dead.Listen();
            File.Move(bound, stale);
        }

        Assert.Null(RpcQuickCall.TryInvoke(stale, "apps", Timeout));
    }

    [Fact]
    public void A_method_name_that_would_need_escaping_is_refused()
    {
        Assert.Throws<ArgumentException>(() => RpcQuickCall.TryInvoke(_server.SocketPath, "a\"b", Timeout));
        Assert.Throws<ArgumentException>(() => RpcQuickCall.TryInvoke(_server.SocketPath, "", Timeout));
    }

    [Theory]
    [InlineData("""{"jsonrpc":"2.0","id":1,"result":[1,2]}""", "[1,2]")]
    [InlineData("""{"jsonrpc":"2.0","id":1,"result":{"a":"}\"]"}}""", """{"a":"}\"]"}""")]
    [InlineData("""{"jsonrpc":"2.0","id":1,"result":[]}""", "[]")]
    public void The_result_is_cut_from_the_envelope_the_daemon_writes(string body, string expected)
    {
        byte[]? result = RpcQuickCall.ResultOf(Encoding.UTF8.GetBytes(body));

        Assert.Equal(expected, result is null ? null : Encoding.UTF8.GetString(result));
    }

    [Theory]
    [InlineData("""{"jsonrpc":"2.0","id":1,"result":[1,2],"extra":[3]}""")]
    [InlineData("""{"jsonrpc":"2.0","id":1,"result":"pong"}""")]
    [InlineData("""{"jsonrpc":"2.0","id":1,"error":{"code":-32601,"message":"no"}}""")]
    [InlineData("""{"id":1,"jsonrpc":"2.0","result":[1]}""")]
    [InlineData("""{ "jsonrpc": "2.0", "id": 1, "result": [1] }""")]
    [InlineData("""{"jsonrpc":"2.0","id":2,"result":[1]}""")]
    [InlineData("""{"jsonrpc":"2.0","id":1,"result":[1""")]
    [InlineData("")]
    public void Any_other_envelope_is_left_to_the_full_client(string body)
    {
        Assert.Null(RpcQuickCall.ResultOf(Encoding.UTF8.GetBytes(body)));
    }
}
