using System.Runtime.Versioning;
using Supervisor.Core;
using Supervisor.Core.Rpc;
using Xunit;

namespace Supervisor.Tests.Rpc;

// Unix sockets and file modes: these run where the daemon's socket is a file.
[UnsupportedOSPlatform("windows")]
public sealed class RpcServerTests
{
    [Fact]
    public async Task The_socket_file_is_readable_and_writable_by_its_owner_only()
    {
        await using TestRpcServer server = await TestRpcServer.StartAsync();

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(server.SocketPath));
    }

    [Fact]
    public async Task Many_clients_are_served_at_once_and_one_by_one()
    {
        await using TestRpcServer server = await TestRpcServer.StartAsync();
        RawSocketClient[] clients = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => RawSocketClient.ConnectAsync(server.SocketPath)));

        foreach (RawSocketClient client in clients)
        {
            await client.SendAsync(Wire.Frame("""{"jsonrpc":"2.0","id":1,"method":"ping"}"""));
        }

        foreach (RawSocketClient client in clients)
        {
            Assert.Equal(Wire.Frame("""{"jsonrpc":"2.0","id":1,"result":"pong"}"""), await client.ReadFrameAsync());
            await client.DisposeAsync();
        }

        // Clients that come and go one at a time never find the socket missing.
        for (int i = 0; i < 20; i++)
        {
            await server.AssertServesNewClientAsync();
        }

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(server.SocketPath));
    }

    [Fact]
    public async Task Stopping_the_server_closes_its_clients_and_removes_the_socket()
    {
        TestRpcServer server = await TestRpcServer.StartAsync();
        await using RawSocketClient client = await RawSocketClient.ConnectAsync(server.SocketPath);
        await client.SendAsync(Wire.Frame("""{"jsonrpc":"2.0","id":1,"method":"ping"}"""));
        await client.ReadFrameAsync();

        await server.StopAsync();

        Assert.True(await client.WasClosedByServerAsync());
        Assert.False(File.Exists(server.SocketPath));
        await server.DisposeAsync();
    }

    [Fact]
    public async Task A_stale_socket_file_is_replaced()
    {
        string directory = Path.Combine("/tmp", "sup-t-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(directory);
        try
        {
            string socketPath = Path.Combine(directory, "sup.sock");
            await File.WriteAllTextAsync(socketPath, "left over");
            using var stop = new CancellationTokenSource();
            Task run = new RpcServer(socketPath, _ => { }, new ListLogger()).RunAsync(stop.Token);

            await using (var client = await TestClient.ConnectAsync(socketPath))
            {
                var ex = await Assert.ThrowsAsync<RpcException>(() => client.CallAsync(s => s.PingAsync()));
                Assert.Equal(RpcErrorCodes.MethodNotFound, ex.Code);
            }

            stop.Cancel();
            await run.WaitAsync(TimeSpan.FromSeconds(10));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void A_short_sup_home_gets_its_socket_inside_it()
    {
        string path = RpcServer.ResolveSocketPath("/home/ann/.sup", "/run/user/1000", () => 1000, out string? notice);

        Assert.Equal("/home/ann/.sup/sup.sock", path);
        Assert.Null(notice);
    }

    [Fact]
    public void A_sup_home_too_deep_for_a_socket_path_falls_back_to_the_runtime_dir_and_says_so()
    {
        string home = "/home/ann/" + new string('d', 100);

        string path = RpcServer.ResolveSocketPath(home, "/run/user/1000", () => 1000, out string? notice);

        Assert.Matches(@"^/run/user/1000/sup-[0-9a-f]{12}\.sock$", path);
        Assert.NotNull(notice);
        Assert.Contains(path, notice);
        Assert.Contains(home + "/sup.sock", notice);
        Assert.Equal(path, RpcServer.ResolveSocketPath(home + "/", "/run/user/1000", () => 1000, out _));
        Assert.NotEqual(path, RpcServer.ResolveSocketPath(home + "x", "/run/user/1000", () => 1000, out _));
    }

    [Fact]
    public void Without_a_runtime_dir_the_fallback_is_a_per_user_temp_dir()
    {
        string home = "/home/ann/" + new string('d', 100);

        string path = RpcServer.ResolveSocketPath(home, null, () => 1234, out string? notice);

        Assert.Equal(Path.Combine(Path.GetTempPath(), "sup-1234"), Path.GetDirectoryName(path));
        Assert.NotNull(notice);
    }

    [Fact]
    public void A_path_of_exactly_107_bytes_is_used_and_108_is_not()
    {
        string fits = "/" + new string('h', 107 - "/sup.sock".Length - 1);
        string tooLong = fits + "h";

        Assert.Equal(fits + "/sup.sock", RpcServer.ResolveSocketPath(fits, "/run/user/1", () => 1, out _));
        Assert.NotEqual(tooLong + "/sup.sock", RpcServer.ResolveSocketPath(tooLong, "/run/user/1", () => 1, out _));
    }

    [Fact]
    public void A_runtime_dir_too_long_as_well_is_a_config_error_naming_the_remedy()
    {
        string home = "/home/ann/" + new string('d', 100);

        var ex = Assert.Throws<SupException>(() => RpcServer.ResolveSocketPath(home, "/" + new string('r', 100), () => 1, out _));

        Assert.Equal(SupError.InvalidConfig, ex.Error);
        Assert.Contains("shorter SUP_HOME", ex.Message);
    }

    [Fact]
    public async Task The_resolved_socket_path_really_binds()
    {
        string directory = Path.Combine("/tmp", "sup-t-" + Guid.NewGuid().ToString("N")[..8]);
        string home = Path.Combine(directory, new string('d', 100));
        string runtime = Path.Combine(directory, "run");
        try
        {
            string socketPath = RpcServer.ResolveSocketPath(home, runtime, () => 1, out _);
            using var stop = new CancellationTokenSource();
            Task run = new RpcServer(socketPath, _ => { }, new ListLogger()).RunAsync(stop.Token);
            await Poll.UntilAsync(() => File.Exists(socketPath) || run.IsCompleted, "the socket to appear");

            await using (var client = await TestClient.ConnectAsync(socketPath))
            {
                var ex = await Assert.ThrowsAsync<RpcException>(() => client.CallAsync(s => s.PingAsync()));
                Assert.Equal(RpcErrorCodes.MethodNotFound, ex.Code);
            }

            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(runtime));
            stop.Cancel();
            await run.WaitAsync(TimeSpan.FromSeconds(10));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
