using Microsoft.Extensions.Logging;
using Xunit;

namespace Supervisor.Tests.Rpc;

/// <summary>
/// The daemon's RPC seen from the wire: literal frames in, literal JSON out, over a real
/// Unix socket. After every piece of bad input the server must still serve a new client.
/// </summary>
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
            $"content-length:   {json.Length}  \r\nContent-Type: application/vscode-jsonrpc; charset=utf8\r\nX-Trace: 1\r\n\r\n{json}");

        Assert.Equal(Wire.Frame("""{"jsonrpc":"2.0","id":1,"result":"pong"}"""), await _client.ReadFrameAsync());
    }

    [Fact]
    public async Task A_bad_header_is_answered_with_a_parse_error_and_the_connection_is_dropped()
    {
        await _client.SendAsync("Content-Lenght 5\r\n\r\nhello");

        Assert.Equal(
            Wire.Frame("""{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"The frame header line 'Content-Lenght 5' is not of the form 'Name: value'."}}"""),
            await _client.ReadFrameAsync());
        Assert.True(await _client.WasClosedByServerAsync());
        await _server.AssertServesNewClientAsync();
    }

    [Fact]
    public async Task A_frame_without_content_length_drops_the_connection()
    {
        await _client.SendAsync("Content-Type: application/json\r\n\r\n{}");

        Assert.Equal(
            Wire.Frame("""{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"The frame header has no Content-Length."}}"""),
            await _client.ReadFrameAsync());
        Assert.True(await _client.WasClosedByServerAsync());
        await _server.AssertServesNewClientAsync();
    }

    [Fact]
    public async Task A_charset_other_than_utf8_drops_the_connection()
    {
        await _client.SendAsync("Content-Length: 2\r\nContent-Type: application/json; charset=latin1\r\n\r\n{}");

        Assert.Equal(
            Wire.Frame("""{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"The charset 'latin1' is not supported; frames must be UTF-8."}}"""),
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
    [InlineData("""{"id":5,"method":"ping"}""", """{"jsonrpc":"2.0","id":5,"error":{"code":-32600,"message":"The message must have \"jsonrpc\": \"2.0\"."}}""")]
    [InlineData("""{"jsonrpc":"2.0","id":6,"method":7}""", """{"jsonrpc":"2.0","id":6,"error":{"code":-32600,"message":"The method must be a string."}}""")]
    [InlineData("""{"jsonrpc":"2.0","id":7,"method":"ping","params":"web"}""", """{"jsonrpc":"2.0","id":7,"error":{"code":-32600,"message":"The params must be an array or an object."}}""")]
    [InlineData("""{"jsonrpc":"2.0","id":{"a":1},"method":"ping"}""", """{"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"The id must be a string or a number."}}""")]
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
            Wire.Frame("""{"jsonrpc":"2.0","id":1,"error":{"code":-32601,"message":"No method named 'nope'. docs/rpc.md lists the methods."}}"""),
            await _client.ReadFrameAsync());
    }

    [Theory]
    [InlineData("""["x",2]""", "The parameter 'a' must be a whole number.")]
    [InlineData("""{"a":1}""", "The parameter 'b' is required.")]
    [InlineData("""{"a":1,"b":[2]}""", "The parameter 'b' must be a whole number.")]
    public async Task Wrong_params_get_invalid_params(string @params, string expectedMessage)
    {
        await _client.SendAsync(Wire.Frame($$"""{"jsonrpc":"2.0","id":1,"method":"add","params":{{@params}}}"""));

        Assert.Equal(
            Wire.Frame($$$"""{"jsonrpc":"2.0","id":1,"error":{"code":-32602,"message":"{{{expectedMessage}}}"}}"""),
            await _client.ReadFrameAsync());
        await _server.AssertServesNewClientAsync();
    }

    [Fact]
    public async Task A_missing_required_string_names_the_parameter()
    {
        await _client.SendAsync(Wire.Frame("""{"jsonrpc":"2.0","id":1,"method":"start","params":{}}"""));

        Assert.Equal(
            Wire.Frame("""{"jsonrpc":"2.0","id":1,"error":{"code":-32602,"message":"The parameter 'name' (position 0) is required."}}"""),
            await _client.ReadFrameAsync());
    }

    [Theory]
    [InlineData("\"abc-1\"")]
    [InlineData("42")]
    [InlineData("-7")]
    [InlineData("12345678901234567890")]
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
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"add","params":{"B":3,"A":2}}""")]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"AddAsync","params":[2,3]}""")]
    public async Task Positional_and_named_params_both_work(string request)
    {
        await _client.SendAsync(Wire.Frame(request));

        Assert.Equal(Wire.Frame("""{"jsonrpc":"2.0","id":1,"result":5}"""), await _client.ReadFrameAsync());
    }

    [Theory]
    [InlineData("start")]
    [InlineData("Start")]
    [InlineData("StartAsync")]
    public async Task StreamJsonRpc_method_names_reach_the_registered_method(string method)
    {
        await _client.SendAsync(Wire.Frame($$"""{"jsonrpc":"2.0","id":1,"method":"{{method}}","params":["web"]}"""));

        Assert.Equal(Wire.Frame("""{"jsonrpc":"2.0","id":1,"result":"started web"}"""), await _client.ReadFrameAsync());
    }

    [Theory]
    [InlineData("logs.follow")]
    [InlineData("Logs.Follow")]
    public async Task Dotted_method_names_match_ignoring_case(string method)
    {
        await _client.SendAsync(Wire.Frame($$"""{"jsonrpc":"2.0","id":1,"method":"{{method}}"}"""));

        Assert.Equal(Wire.Frame("""{"jsonrpc":"2.0","id":1,"result":"following"}"""), await _client.ReadFrameAsync());
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
            Wire.Frame("""{"jsonrpc":"2.0","id":"slow-1","error":{"code":-32800,"message":"The request was cancelled."}}"""),
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
            Wire.Frame("""{"jsonrpc":"2.0","id":7,"error":{"code":1001,"message":"No app named 'web'. `sup ls` lists apps.","data":{"type":"SupException","error":"NoSuchApp","details":["Known apps: api, worker."]}}}"""),
            await _client.ReadFrameAsync());
    }

    [Fact]
    public async Task A_handler_crash_is_an_internal_error_that_is_logged()
    {
        await _client.SendAsync(Wire.Frame("""{"jsonrpc":"2.0","id":8,"method":"crash"}"""));

        Assert.Equal(
            Wire.Frame("""{"jsonrpc":"2.0","id":8,"error":{"code":-32603,"message":"The method 'crash' failed: boom","data":{"type":"System.InvalidOperationException","message":"boom"}}}"""),
            await _client.ReadFrameAsync());
        Assert.Contains(_server.Logger.Entries, e => e.Level == LogLevel.Error && e.Exception is InvalidOperationException);
        await _server.AssertServesNewClientAsync();
    }

    [Fact]
    public async Task Non_ascii_text_crosses_the_wire_as_utf8()
    {
        await _client.SendAsync(Wire.Frame("""{"jsonrpc":"2.0","id":1,"method":"start","params":{"name":"café ☕"}}"""));

        Assert.Equal(Wire.Frame("""{"jsonrpc":"2.0","id":1,"result":"started café ☕"}"""), await _client.ReadFrameAsync());
    }

    [Fact]
    public async Task A_server_to_client_notification_arrives_before_the_result()
    {
        await _client.SendAsync(Wire.Frame("""{"jsonrpc":"2.0","id":1,"method":"tick","params":{"count":2}}"""));

        Assert.Equal(Wire.Frame("""{"jsonrpc":"2.0","method":"log","params":{"line":"line 1"}}"""), await _client.ReadFrameAsync());
        Assert.Equal(Wire.Frame("""{"jsonrpc":"2.0","method":"log","params":{"line":"line 2"}}"""), await _client.ReadFrameAsync());
        Assert.Equal(Wire.Frame("""{"jsonrpc":"2.0","id":1,"result":"done"}"""), await _client.ReadFrameAsync());
    }
}
