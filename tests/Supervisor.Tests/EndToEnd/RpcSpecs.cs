using System.Diagnostics;
using System.Net.Sockets;
using System.Runtime.Versioning;
using System.Text;
using System.Text.Json;
using Supervisor.Tests.TestSupport;
using Xunit;

namespace Supervisor.Tests.EndToEnd;

/// <summary>The real daemon's socket under bad input and foreign users: it answers with errors and keeps serving.</summary>
[UnsupportedOSPlatform("windows")]
public sealed class RpcSpecs : IAsyncLifetime
{
    private readonly SupHome _sup = SupHome.Create();
    private string Socket => Path.Combine(_sup.Home, "sup.sock");

    public async Task InitializeAsync() => await _sup.OkAsync("ls"); // starts the daemon
    public async Task DisposeAsync() => await _sup.DisposeAsync();

    private async Task<string> ExchangeAsync(byte[] bytes)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(Socket));
        await socket.SendAsync(bytes);
        var buffer = new byte[64 * 1024];
        var received = new MemoryStream();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            while (true)
            {
                var n = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
                if (n == 0) break;
                received.Write(buffer, 0, n);
                var text = Encoding.UTF8.GetString(received.ToArray());
                var body = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
                if (body > 0 && int.TryParse(text[16..body].Trim(), out var length) && text.Length >= body + 4 + length)
                    return text[(body + 4)..];
            }
        }
        catch (OperationCanceledException)
        {
        }
        return Encoding.UTF8.GetString(received.ToArray());
    }

    private static byte[] Frame(string json)
    {
        var body = Encoding.UTF8.GetBytes(json);
        return [.. Encoding.ASCII.GetBytes($"Content-Length: {body.Length}\r\n\r\n"), .. body];
    }

    private static int ErrorCode(string reply) =>
        JsonDocument.Parse(reply).RootElement.GetProperty("error").GetProperty("code").GetInt32();

    [Fact]
    public async Task Invalid_json_unknown_methods_and_wrong_params_get_json_rpc_errors()
    {
        Assert.Equal(-32700, ErrorCode(await ExchangeAsync(Frame("{not json"))));
        Assert.Equal(-32601, ErrorCode(await ExchangeAsync(Frame("""{"jsonrpc":"2.0","id":1,"method":"nosuch"}"""))));
        Assert.Equal(-32602, ErrorCode(await ExchangeAsync(Frame("""{"jsonrpc":"2.0","id":2,"method":"stop","params":{}}"""))));
        Assert.Equal(1001, ErrorCode(await ExchangeAsync(Frame("""{"jsonrpc":"2.0","id":3,"method":"stop","params":{"name":"ghost"}}"""))));

        Assert.Equal(0, (await _sup.SupAsync("ls")).ExitCode);
    }

    [Fact]
    public async Task A_streamjsonrpc_style_call_with_positional_params_is_answered()
    {
        var reply = await ExchangeAsync(Frame("""{"jsonrpc":"2.0","id":"a-1","method":"ping","params":[]}"""));

        var root = JsonDocument.Parse(reply).RootElement;
        Assert.Equal("a-1", root.GetProperty("id").GetString());
        Assert.True(root.GetProperty("result").GetProperty("pong").GetBoolean());
    }

    [Fact]
    public async Task Positional_and_named_params_reach_the_same_method()
    {
        var positional = await ExchangeAsync(Frame("""{"jsonrpc":"2.0","id":1,"method":"describe","params":["ghost",true]}"""));
        var named = await ExchangeAsync(Frame("""{"jsonrpc":"2.0","id":2,"method":"describe","params":{"name":"ghost","show_secrets":true}}"""));

        Assert.Equal(1001, ErrorCode(positional));
        Assert.Equal(1001, ErrorCode(named));
    }

    [Fact]
    public async Task A_request_with_a_duplicate_method_key_is_refused_and_does_not_kill_the_daemon()
    {
        // Last key wins in a lenient parser: this was `kill` (issue 14).
        var pid = _sup.DaemonPid;
        var reply = await ExchangeAsync(Frame("""{"jsonrpc":"2.0","id":1,"method":"ping","method":"kill"}"""));

        Assert.Equal(-32600, ErrorCode(reply));
        await Task.Delay(300); // kill answers first and exits 100 ms later
        Assert.Equal(pid, _sup.DaemonPid);
        Assert.Equal(0, (await _sup.SupAsync("ls")).ExitCode);
    }

    [Fact]
    public async Task Start_with_an_empty_path_is_invalid_params_not_an_internal_error()
    {
        var reply = await ExchangeAsync(Frame("""{"jsonrpc":"2.0","id":1,"method":"start","params":[""]}"""));

        Assert.Equal(-32602, ErrorCode(reply));
        Assert.Contains("file", JsonDocument.Parse(reply).RootElement.GetProperty("error").GetProperty("message").GetString());
    }

    [Fact]
    public async Task Bad_utf8_is_answered_with_a_parse_error_not_a_silent_hang_up()
    {
        byte[] body = [.. "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"describe\",\"params\":[\""u8, 0xFF, .. "\"]}"u8];

        var reply = await ExchangeAsync([.. Encoding.ASCII.GetBytes($"Content-Length: {body.Length}\r\n\r\n"), .. body]);

        Assert.Equal(-32700, ErrorCode(reply));
    }

    [Fact]
    public async Task Bad_and_oversized_frames_drop_only_that_connection()
    {
        await ExchangeAsync(Encoding.ASCII.GetBytes("Content-Length: banana\r\n\r\n{}"));
        await ExchangeAsync(Encoding.ASCII.GetBytes("Content-Length: 999999999999\r\n\r\n"));
        await ExchangeAsync(Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHost: x\r\n\r\n"));

        var ls = await _sup.SupAsync("ls", "--json");
        Assert.Equal(0, ls.ExitCode);
        Assert.Equal("[]", ls.Stdout.Trim());
    }

    [Fact]
    public async Task Another_user_cannot_talk_to_the_daemon()
    {
        Assert.True(File.Exists("/usr/bin/setpriv") && File.Exists("/usr/bin/python3"), "setpriv (util-linux) and the system python3 are needed to act as another user");
        const string client = """
            import socket, sys
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            try:
                s.connect(sys.argv[1])
            except OSError as e:
                print("refused:", e.strerror); sys.exit(0)
            body = b'{"jsonrpc":"2.0","id":1,"method":"list"}'
            s.settimeout(5)
            try:
                s.sendall(b"Content-Length: %d\r\n\r\n" % len(body) + body)
                data = s.recv(65536)
            except (socket.timeout, OSError):
                data = b""
            print("answered" if data else "closed")
            """;

        // As-is: SUP_HOME is 0700, so another user cannot even reach the socket.
        Assert.StartsWith("refused", await AsNobodyAsync(client));

        // Even with the folder and socket opened up, the daemon checks the peer's uid.
        File.SetUnixFileMode(_sup.Home, (UnixFileMode)0b111_101_101);
        File.SetUnixFileMode(Socket, (UnixFileMode)0b111_111_111);
        var opened = await AsNobodyAsync(client);
        File.SetUnixFileMode(_sup.Home, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        Assert.Equal("closed", opened);
        Assert.Equal(0, (await _sup.SupAsync("ls")).ExitCode);
    }

    private async Task<string> AsNobodyAsync(string script)
    {
        var info = new ProcessStartInfo("/usr/bin/setpriv")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { "--reuid=65534", "--regid=65534", "--clear-groups", "/usr/bin/python3", "-c", script, Socket })
            info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"client failed: {output} {error}");
        return output.Trim();
    }
}
