using Microsoft.Extensions.Logging;
using Supervisor.Core.Rpc;
using Xunit;

namespace Supervisor.Tests.Rpc;

/// <summary>
/// The daemon's RPC seen from the wire: literal frames in, literal JSON out, over a real
/// Unix socket. After every piece of bad input the server must still serve a new client.
/// </summary>
/// <remarks>
/// StreamJsonRpc writes the replies: strings are escaped by System.Text.Json's default encoder
/// (<c>'</c> is <c>\u0027</c>, non-ASCII is <c>\uXXXX</c>), its own errors have its own
/// messages, and method and parameter names match exactly (docs/rpc.md).
/// </remarks>
public sealed class RpcWireTests : IAsyncLifetime
{
    private TestRpcServer _server = null!;
    private RawSocketClient _client = null!;

    public async Task InitializeAsync()
    {
        _server = await TestRpcServer.StartAsync();
        _client = await RawSocketClient.ConnectAsync(_server.SocketPath);
    }

    public async Task DisposeAsync()
    {
        await _client.DisposeAsync();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task A_request_gets_its_result_in_a_content_length_frame()
    {
        await _client.SendAsync("Content-Length: 40\r\n\r\n{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}");

        Assert.Equal("Content-Length: 40\r\n\r\n{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":\"pong\"}", await _client.ReadFrameAsync());
    }

    [Fact]
    public async Task A_request_split_into_single_bytes_is_understood()
    {
        await _client.SendBytewiseAsync(Wire.Frame("""{"jsonrpc":"2.0","id":1,"method":"ping"}"""));

        Assert.Equal(Wire.Frame("""{"jsonrpc":"2.0","id":1,"result":"pong"}"""), await _client.ReadFrameAsync());
    }

    [Fact]
    public async Task Two_requests_in_one_write_get_two_replies()
    {
        await _client.SendAsync(
            Wire.Frame("""{"jsonrpc":"2.0","id":1,"method":"ping"}""") +
            Wire.Frame("""{"jsonrpc":"2.0","id":2,"method":"start","params":["web"]}"""));

        string[] replies = [await _client.ReadFrameAsync(), await _client.ReadFrameAsync()];

        Assert.Contains(Wire.Frame("""{"jsonrpc":"2.0","id":1,"result":"pong"}"""), replies);
        Assert.Contains(Wire.Frame("""{"jsonrpc":"2.0","id":2,"result":"started web"}"""), replies);
    }

    [Fact]
    public async Task Lenient_headers_are_accepted()
    {
        string json = """{"jsonrpc":"2.0","id":1,"method":"ping"}""";

        await _client.SendAsync(
            $"Content-Length:   {json.Length}  \r\nContent-Type: application/vscode-jsonrpc; charset=utf8\r\nX-Trace: 1\r\n\r\n{json}");

        Assert.Equal(Wire.Frame("""{"jsonrpc":"2.0","id":1,"result":"pong"}"""), await _client.ReadFrameAsync());
    }

    [Fact]
    public async Task A_bad_header_is_answered_with_a_parse_error_and_the_connection_is_dropped()
    {
        await _client.SendAsync("Content-Lenght 5\r\n\r\nhello");

        Assert.Equal(
            Wire.Frame("""{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"Colon not found in header."}}"""),
            await _client.ReadFrameAsync());
        Assert.True(await _client.WasClosedByServerAsync());
        await _server.AssertServesNewClientAsync();
    }

    [Fact]
    public async Task A_frame_without_content_length_drops_the_connection()
    {
        await _client.SendAsync("Content-Type: application/json\r\n\r\n{}");

        Assert.Equal(
            Wire.Frame("""{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"No Content-Length header detected."}}"""),
            await _client.ReadFrameAsync());
        Assert.True(await _client.WasClosedByServerAsync());
        await _server.AssertServesNewClientAsync();
    }

    [Fact]
    public async Task A_charset_other_than_utf8_drops_the_connection()
    {
        await _client.SendAsync("Content-Length: 2\r\nContent-Type: application/json; charset=latin1\r\n\r\n{}");

        Assert.Equal(
            Wire.Frame("""{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"The charset \u0027latin1\u0027 is not supported; frames must be UTF-8."}}"""),
            await _client.ReadFrameAsync());
        Assert.True(await _client.WasClosedByServerAsync());
        await _server.AssertServesNewClientAsync();
    }

    [Fact]
    public async Task An_oversized_frame_drops_the_connection_and_the_server_serves_a_new_client()
    {
        await _client.SendAsync("Content-Length: 999999999\r\n\r\n");

        Assert.Equal(
            Wire.Frame("""{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"The frame of 999999999 bytes is larger than the 16777216 bytes allowed."}}"""),
            await _client.ReadFrameAsync());
        Assert.True(await _client.WasClosedByServerAsync());
        await _server.AssertServesNewClientAsync();
    }

    [Fact]
    public async Task A_client_that_only_shuts_down_its_sending_side_still_gets_its_replies()
    {
        // What `printf ... | socat - UNIX-CONNECT:sup.sock` does once printf is done.
        await _client.SendAsync(
            Wire.Frame("""{"jsonrpc":"2.0","id":1,"method":"gate"}""") +
            Wire.Frame("""{"jsonrpc":"2.0","id":2,"method":"release"}"""));
        _client.ShutdownSending();

        Assert.Equal(Wire.Frame("""{"jsonrpc":"2.0","id":2,"result":"released"}"""), await _client.ReadFrameAsync());
        Assert.Equal(Wire.Frame("""{"jsonrpc":"2.0","id":1,"result":"gate opened"}"""), await _client.ReadFrameAsync());
        Assert.True(await _client.WasClosedByServerAsync());
    }

    [Fact]
    public async Task A_client_that_hangs_up_mid_frame_does_not_disturb_the_server()
    {
        await _client.SendAsync("Content-Length: 100\r\n\r\n{\"jsonrpc\":");
        await _client.DisposeAsync();

        await _server.AssertServesNewClientAsync();
    }

    [Fact]
    public async Task Invalid_json_gets_a_parse_error_with_a_null_id_and_the_connection_stays_open()
    {
        await _client.SendAsync(Wire.Frame("""{"jsonrpc":"2.0","id":1,"method":"""));
        await _client.SendAsync(Wire.Frame("""{"jsonrpc":"2.0","id":2,"method":"ping"}"""));

        Assert.Equal(
            Wire.Frame("""{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"The message is not valid JSON."}}"""),
            await _client.ReadFrameAsync());
        Assert.Equal(Wire.Frame("""{"jsonrpc":"2.0","id":2,"result":"pong"}"""), await _client.ReadFrameAsync());
    }

    [Theory]
    [InlineData("""{"jsonrpc":"2.0","id":4}""", """{"jsonrpc":"2.0","id":4,"error":{"code":-32600,"message":"The message is neither a request (method) nor a response (id with result or error)."}}""")]
    [InlineData("""{"id":5,"method":"ping"}""", """{"jsonrpc":"2.0","id":5,"error":{"code":-32600,"message":"The message must have \u0022jsonrpc\u0022: \u00222.0\u0022."}}""")]
    [InlineData("""{"jsonrpc":"2.0","id":6,"method":7}""", """{"jsonrpc":"2.0","id":6,"error":{"code":-32600,"message":"The method must be a string."}}""")]
    [InlineData("""{"jsonrpc":"2.0","id":7,"method":"ping","params":"web"}""", """{"jsonrpc":"2.0","id":7,"error":{"code":-32600,"message":"The params must be an array or an object."}}""")]
    [InlineData("""{"jsonrpc":"2.0","id":{"a":1},"method":"ping"}""", """{"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"The id must be a string, a whole number of at most 64 bits, or null."}}""")]
    [InlineData("""{"jsonrpc":"2.0","id":12345678901234567890,"method":"ping"}""", """{"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"The id must be a string, a whole number of at most 64 bits, or null."}}""")]
    [InlineData("""{"jsonrpc":"2.0","id":1.5,"method":"ping"}""", """{"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"The id must be a string, a whole number of at most 64 bits, or null."}}""")]
    [InlineData("""[{"jsonrpc":"2.0","id":8,"method":"ping"}]""", """{"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"Batch requests are not supported; send one message per frame."}}""")]
    [InlineData("42", """{"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"A JSON-RPC message must be a JSON object."}}""")]
    public async Task An_invalid_request_gets_an_invalid_request_error(string request, string expectedReply)
    {
        await _client.SendAsync(Wire.Frame(request));

        Assert.Equal(Wire.Frame(expectedReply), await _client.ReadFrameAsync());
        await _server.AssertServesNewClientAsync();
    }

    [Fact]
    public async Task An_unknown_method_gets_method_not_found()
    {
        await _client.SendAsync(Wire.Frame("""{"jsonrpc":"2.0","id":1,"method":"nope"}"""));

        Assert.Equal(
            Wire.Frame("""{"jsonrpc":"2.0","id":1,"error":{"code":-32601,"message":"No method by the name \u0027nope\u0027 is found."}}"""),
            await _client.ReadFrameAsync());
    }

    [Theory]
    [InlineData("""["x",2]""", "Unable to find method \\u0027add/2\\u0027 on {no object} for the following reasons: Deserializing JSON-RPC argument with name \\u0022a\\u0022 and position 0 to type \\u0022System.Int32\\u0022 failed: The JSON value could not be converted to System.Int32. Path: $ | LineNumber: 0 | BytePositionInLine: 3.")]
    [InlineData("""{"a":1}""", "Unable to find method \\u0027add/1\\u0027 on {no object} for the following reasons: An argument was not supplied for a required parameter.")]
    [InlineData("""{"B":3,"A":2}""", "Unable to find method \\u0027add/2\\u0027 on {no object} for the following reasons: An argument was not supplied for a required parameter.")]
    public async Task Wrong_params_get_invalid_params(string @params, string expectedMessage)
    {
        await _client.SendAsync(Wire.Frame($$"""{"jsonrpc":"2.0","id":1,"method":"add","params":{{@params}}}"""));

        Assert.Equal(
            Wire.Frame($$$"""{"jsonrpc":"2.0","id":1,"error":{"code":-32602,"message":"{{{expectedMessage}}}"}}"""),
            await _client.ReadFrameAsync());
        await _server.AssertServesNewClientAsync();
    }


    [Theory]
    [InlineData("\"abc-1\"")]
    [InlineData("42")]
    [InlineData("-7")]
    [InlineData("\"\"")]
    [InlineData("null")]
    public async Task Ids_are_echoed_exactly_as_sent(string id)
    {
        await _client.SendAsync(Wire.Frame($$"""{"jsonrpc":"2.0","id":{{id}},"method":"ping"}"""));

        Assert.Equal(Wire.Frame($$"""{"jsonrpc":"2.0","id":{{id}},"result":"pong"}"""), await _client.ReadFrameAsync());
    }

    [Theory]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"add","params":[2,3]}""")]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"add","params":{"a":2,"b":3}}""")]
    public async Task Positional_and_named_params_both_work(string request)
    {
        await _client.SendAsync(Wire.Frame(request));

        Assert.Equal(Wire.Frame("""{"jsonrpc":"2.0","id":1,"result":5}"""), await _client.ReadFrameAsync());
    }

    [Fact]
    public async Task Dotted_method_names_are_served()
    {
        await _client.SendAsync(Wire.Frame("""{"jsonrpc":"2.0","id":1,"method":"logs.follow"}"""));

        Assert.Equal(Wire.Frame("""{"jsonrpc":"2.0","id":1,"result":"following"}"""), await _client.ReadFrameAsync());
    }

    [Theory]
    [InlineData("Start")]
    [InlineData("StartAsync")]
    [InlineData("Logs.Follow")]
    public async Task Method_names_match_exactly(string method)
    {
        await _client.SendAsync(Wire.Frame($$"""{"jsonrpc":"2.0","id":1,"method":"{{method}}","params":["web"]}"""));

        Assert.Equal(
            Wire.Frame($$$"""{"jsonrpc":"2.0","id":1,"error":{"code":-32601,"message":"No method by the name \u0027{{{method}}}\u0027 is found."}}"""),
            await _client.ReadFrameAsync());
    }

    [Fact]
    public async Task A_notification_runs_its_method_and_gets_no_reply()
    {
        await _client.SendAsync(
            Wire.Frame("""{"jsonrpc":"2.0","method":"record","params":["first"]}""") +
            Wire.Frame("""{"jsonrpc":"2.0","method":"nope"}""") +
            Wire.Frame("""{"jsonrpc":"2.0","id":3,"method":"ping"}"""));

        Assert.Equal(Wire.Frame("""{"jsonrpc":"2.0","id":3,"result":"pong"}"""), await _client.ReadFrameAsync());
        Assert.Equal("first", await _server.Recorded.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task Cancel_request_cancels_a_slow_handler()
    {
        await _client.SendAsync(Wire.Frame("""{"jsonrpc":"2.0","id":"slow-1","method":"slow"}"""));
        await _client.SendAsync(Wire.Frame("""{"jsonrpc":"2.0","method":"$/cancelRequest","params":{"id":"slow-1"}}"""));

        Assert.Equal(
            Wire.Frame("""{"jsonrpc":"2.0","id":"slow-1","error":{"code":-32800,"message":"The task was cancelled."}}"""),
            await _client.ReadFrameAsync());
        Assert.True(_server.SlowCancelled.Task.IsCompleted);
    }

    [Fact]
    public async Task Concurrent_requests_on_one_connection_complete_out_of_order()
    {
        await _client.SendAsync(
            Wire.Frame("""{"jsonrpc":"2.0","id":1,"method":"gate"}""") +
            Wire.Frame("""{"jsonrpc":"2.0","id":2,"method":"release"}"""));

        Assert.Equal(Wire.Frame("""{"jsonrpc":"2.0","id":2,"result":"released"}"""), await _client.ReadFrameAsync());
        Assert.Equal(Wire.Frame("""{"jsonrpc":"2.0","id":1,"result":"gate opened"}"""), await _client.ReadFrameAsync());
    }

    [Fact]
    public async Task A_handler_throwing_SupException_answers_with_the_app_error_code()
    {
        await _client.SendAsync(Wire.Frame("""{"jsonrpc":"2.0","id":7,"method":"fail"}"""));

        Assert.Equal(
            Wire.Frame("""{"jsonrpc":"2.0","id":7,"error":{"code":1001,"message":"No app named \u0027web\u0027. \u0060sup ls\u0060 lists apps.","data":{"type":"SupException","error":"NoSuchApp","details":["Known apps: api, worker."]}}}"""),
            await _client.ReadFrameAsync());
    }

    [Fact]
    public async Task A_handler_crash_is_an_internal_error_that_is_logged()
    {
        await _client.SendAsync(Wire.Frame("""{"jsonrpc":"2.0","id":8,"method":"crash"}"""));

        Assert.Equal(
            Wire.Frame("""{"jsonrpc":"2.0","id":8,"error":{"code":-32603,"message":"The method \u0027crash\u0027 failed: boom","data":{"type":"System.InvalidOperationException","message":"boom"}}}"""),
            await _client.ReadFrameAsync());
        Assert.Contains(_server.Logger.Entries, e => e.Level == LogLevel.Error && e.Exception is InvalidOperationException);
        await _server.AssertServesNewClientAsync();
    }

    [Fact]
    public async Task Non_ascii_text_is_read_as_utf8_and_written_escaped()
    {
        await _client.SendAsync(Wire.Frame("""{"jsonrpc":"2.0","id":1,"method":"start","params":{"name":"café ☕"}}"""));

        Assert.Equal(Wire.Frame("""{"jsonrpc":"2.0","id":1,"result":"started caf\u00E9 \u2615"}"""), await _client.ReadFrameAsync());
    }

    [Fact]
    public async Task A_server_to_client_notification_arrives_before_the_result()
    {
        await _client.SendAsync(Wire.Frame("""{"jsonrpc":"2.0","id":1,"method":"tick","params":{"count":2}}"""));

        Assert.Equal(Wire.Frame("""{"jsonrpc":"2.0","method":"log","params":{"line":"line 1"}}"""), await _client.ReadFrameAsync());
        Assert.Equal(Wire.Frame("""{"jsonrpc":"2.0","method":"log","params":{"line":"line 2"}}"""), await _client.ReadFrameAsync());
        Assert.Equal(Wire.Frame("""{"jsonrpc":"2.0","id":1,"result":"done"}"""), await _client.ReadFrameAsync());
    }

    [Fact]
    public async Task Duplicate_member_names_are_an_invalid_request_and_neither_method_runs()
    {
        // The last "method" would win in a lenient parser: this must not run "crash".
        await _client.SendAsync(Wire.Frame("""{"jsonrpc":"2.0","id":1,"method":"ping","method":"crash"}"""));

        Assert.Equal(
            Wire.Frame("""{"jsonrpc":"2.0","id":1,"error":{"code":-32600,"message":"The message has a member name twice; each may appear once."}}"""),
            await _client.ReadFrameAsync());
        Assert.DoesNotContain(_server.Logger.Entries, e => e.Exception is InvalidOperationException);
        await _server.AssertServesNewClientAsync();
    }

    [Fact]
    public async Task Bad_utf8_gets_a_parse_error_and_the_requests_around_it_still_get_their_replies()
    {
        await _client.SendAsync(Wire.Frame("""{"jsonrpc":"2.0","id":1,"method":"gate"}"""));
        byte[] body = [.. "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"start\",\"params\":[\""u8, 0xC3, 0x28, .. "\"]}"u8];
        await _client.SendBytesAsync([.. System.Text.Encoding.ASCII.GetBytes($"Content-Length: {body.Length}\r\n\r\n"), .. body]);
        await _client.SendAsync(Wire.Frame("""{"jsonrpc":"2.0","id":3,"method":"release"}"""));

        Assert.Equal(
            Wire.Frame("""{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"The message is not valid UTF-8."}}"""),
            await _client.ReadFrameAsync());
        Assert.Equal(Wire.Frame("""{"jsonrpc":"2.0","id":3,"result":"released"}"""), await _client.ReadFrameAsync());
        Assert.Equal(Wire.Frame("""{"jsonrpc":"2.0","id":1,"result":"gate opened"}"""), await _client.ReadFrameAsync());
    }

    [Fact]
    public async Task At_most_64_requests_of_one_connection_run_at_once_and_the_rest_wait_their_turn()
    {
        const int Requests = 200;
        await _client.SendAsync(string.Concat(Enumerable.Range(1, Requests).Select(i => Wire.Frame($$"""{"jsonrpc":"2.0","id":{{i}},"method":"hold"}"""))));
        await Poll.UntilAsync(() => _server.MostHeld >= RpcLimits.Default.MaxRequestsInFlight, "the connection's requests to fill its slots");
        await Task.Delay(300); // time for any request beyond the limit to start, were it not held back

        Assert.Equal(RpcLimits.Default.MaxRequestsInFlight, _server.MostHeld);
        _server.Hold.TrySetResult();
        var replies = new List<string>();
        for (int i = 0; i < Requests; i++)
        {
            replies.Add(await _client.ReadFrameAsync());
        }

        Assert.All(replies, r => Assert.EndsWith("""
            ,"result":"held"}
            """, r));
        Assert.Equal(Requests, replies.Distinct().Count());
    }

    [Fact]
    public async Task A_client_that_never_reads_its_replies_is_no_longer_read_from()
    {
        // 100,000 requests, no reads: the daemon must stop taking them (its replies would pile up
        // in memory otherwise), so the sender's write blocks.
        string requests = string.Concat(Enumerable.Repeat(Wire.Frame("""{"jsonrpc":"2.0","id":1,"method":"ping"}"""), 100_000));
        Task sending = _client.SendAsync(requests);

        await Task.Delay(TimeSpan.FromSeconds(3));

        Assert.False(sending.IsCompleted, $"the server read every request while its replies went unread ({sending.Status}: {sending.Exception?.InnerException?.Message})");
        Assert.StartsWith("Content-Length: ", await _client.ReadFrameAsync());
        await _server.AssertServesNewClientAsync();
    }
}
