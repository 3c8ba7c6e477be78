using System.Diagnostics;
using System.Text.Json;
using Xunit;

namespace Supervisor.Tests.Rpc;

/// <summary>
/// A real third-party client, vscode-jsonrpc on Node (both on this project's machines), drives
/// the server: the interop promise of docs/rpc.md, checked end to end.
/// </summary>
public sealed class VscodeJsonRpcInteropTests : IAsyncLifetime
{
    // Pinned so the test does not change under us; installed fresh from the npm registry.
    private const string Package = "vscode-jsonrpc@10.0.0";

    private const string ClientScript = """
        const net = require('node:net');
        const rpc = require('vscode-jsonrpc/node');

        const socket = net.createConnection(process.argv[2]);
        socket.on('error', e => { console.error(e); process.exit(2); });
        socket.on('connect', async () => {
          const connection = rpc.createMessageConnection(new rpc.SocketMessageReader(socket), new rpc.SocketMessageWriter(socket));
          const lines = [];
          connection.onNotification('log', p => lines.push(p.line));
          connection.listen();
          const out = {};
          out.start = await connection.sendRequest('start', { name: 'web' });
          out.add = await connection.sendRequest('add', 2, 3);
          try { await connection.sendRequest('fail', {}); } catch (e) { out.fail = { code: e.code, message: e.message, data: e.data }; }
          try { await connection.sendRequest('nope'); } catch (e) { out.nope = e.code; }
          const source = new rpc.CancellationTokenSource();
          const slow = connection.sendRequest('slow', {}, source.token);
          setTimeout(() => source.cancel(), 100);
          try { await slow; out.slow = 'completed'; } catch (e) { out.slow = e.code; }
          out.tick = await connection.sendRequest('tick', { count: 2 });
          out.lines = lines;
          connection.sendNotification('record', { value: 'from node' });
          out.ping = await connection.sendRequest('ping');
          process.stdout.write(JSON.stringify(out));
          connection.dispose();
          socket.end();
        });
        """;

    private TestRpcServer _server = null!;
    private string _nodeDirectory = null!;

    public async Task InitializeAsync()
    {
        _server = await TestRpcServer.StartAsync();
        _nodeDirectory = Path.Combine(_server.Directory, "node");
        Directory.CreateDirectory(_nodeDirectory);
        await File.WriteAllTextAsync(Path.Combine(_nodeDirectory, "package.json"), """{ "private": true }""");
        await File.WriteAllTextAsync(Path.Combine(_nodeDirectory, "client.js"), ClientScript);
        await RunAsync("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error", Package], TimeSpan.FromMinutes(2));
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task A_vscode_jsonrpc_client_can_drive_the_server()
    {
        string output = await RunAsync("node", ["client.js", _server.SocketPath], TimeSpan.FromSeconds(30));

        using JsonDocument result = JsonDocument.Parse(output);
        JsonElement root = result.RootElement;
        Assert.Equal("started web", root.GetProperty("start").GetString());
        Assert.Equal(5, root.GetProperty("add").GetInt32());
        Assert.Equal(1001, root.GetProperty("fail").GetProperty("code").GetInt32());
        Assert.Equal("No app named 'web'. `sup ls` lists apps.", root.GetProperty("fail").GetProperty("message").GetString());
        Assert.Equal("NoSuchApp", root.GetProperty("fail").GetProperty("data").GetProperty("error").GetString());
        Assert.Equal(-32601, root.GetProperty("nope").GetInt32());
        Assert.Equal(-32800, root.GetProperty("slow").GetInt32());
        Assert.Equal("done", root.GetProperty("tick").GetString());
        Assert.Equal(["line 1", "line 2"], root.GetProperty("lines").EnumerateArray().Select(l => l.GetString()));
        Assert.Equal("pong", root.GetProperty("ping").GetString());
        Assert.Equal("from node", await _server.Recorded.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10)));
    }

    private async Task<string> RunAsync(string program, string[] arguments, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = _nodeDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        string output = await stdout;
        Assert.True(process.ExitCode == 0, $"{program} {string.Join(' ', arguments)} exited with {process.ExitCode}: {await stderr}{output}");
        return output;
    }
}
