using System.Threading.Channels;
using StreamJsonRpc;
using Supervisor.Core;
using Supervisor.Core.Rpc;
using Xunit;

namespace Supervisor.Tests.Rpc;

/// <summary>
/// A real <see cref="RpcServer"/> on a socket in a short temp dir, serving <see cref="ITestService"/>
/// (one instance per connection, as the daemon does).
/// </summary>
internal sealed class TestRpcServer : IAsyncDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    private readonly CancellationTokenSource _stop = new();
    private Task _run = Task.CompletedTask;
    private int _holding;

    private TestRpcServer(string directory)
    {
        Directory = directory;
        SocketPath = Path.Combine(directory, "sup.sock");
    }

    public string Directory { get; }

    public string SocketPath { get; }

    public ListLogger Logger { get; } = new();

    public Task RunTask => _run;

    /// <summary>Params of every "record" notification, in arrival order.</summary>
    public Channel<string> Recorded { get; } = Channel.CreateUnbounded<string>();

    public TaskCompletionSource SlowStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource SlowCancelled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource Gate { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource Hold { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The most "hold" requests that ran at once.</summary>
    public int MostHeld { get; private set; }

    public TaskCompletionSource FollowStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource FollowStopped { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public static async Task<TestRpcServer> StartAsync(RpcLimits? limits = null)
    {
        string directory = Path.Combine("/tmp", "sup-t-" + Guid.NewGuid().ToString("N")[..8]);
        System.IO.Directory.CreateDirectory(directory);
        var server = new TestRpcServer(directory);
        var metadata = RpcTargetMetadata.FromShape<ITestService>();
        var rpcServer = new RpcServer(server.SocketPath, rpc => rpc.AddLocalRpcTarget(metadata, new Service(server, rpc), null), server.Logger)
        {
            Limits = limits ?? RpcLimits.Default with { DrainTimeout = TimeSpan.FromSeconds(10) },
        };
        server._run = rpcServer.RunAsync(server._stop.Token);
        await Poll.UntilAsync(() => File.Exists(server.SocketPath) || server._run.IsCompleted, "the socket to appear");
        if (server._run.IsCompleted)
        {
            await server._run; // surface the failure
        }

        return server;
    }

    /// <summary>Stops the server and waits for it, as the daemon does on shutdown.</summary>
    public async Task StopAsync()
    {
        _stop.Cancel();
        await _run.WaitAsync(Deadline);
    }

    /// <summary>Proves the server still answers a brand-new client.</summary>
    public async Task AssertServesNewClientAsync()
    {
        await using RawSocketClient client = await RawSocketClient.ConnectAsync(SocketPath);
        await client.SendAsync(Wire.Frame("""{"jsonrpc":"2.0","id":99,"method":"ping"}"""));
        Assert.Equal(Wire.Frame("""{"jsonrpc":"2.0","id":99,"result":"pong"}"""), await client.ReadFrameAsync());
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        System.IO.Directory.Delete(Directory, recursive: true);
    }

    private sealed class Service(TestRpcServer server, JsonRpc peer) : ITestService
    {
        private static readonly Dictionary<string, Type> LogTypes = new() { ["line"] = typeof(string) };

        public Task<string> PingAsync() => Task.FromResult("pong");

        public Task<string> StartAsync(string name) => Task.FromResult("started " + name);

        public Task<int> AddAsync(int a, int b) => Task.FromResult(a + b);

        public Task<string> LogsFollowAsync() => Task.FromResult("following");

        public Task RecordAsync(string value)
        {
            server.Recorded.Writer.TryWrite(value);
            return Task.CompletedTask;
        }

        public async Task SlowAsync(CancellationToken cancellationToken)
        {
            server.SlowStarted.TrySetResult();
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                server.SlowCancelled.TrySetResult();
                throw;
            }
        }

        public async Task<string> GateAsync(CancellationToken cancellationToken)
        {
            await server.Gate.Task.WaitAsync(cancellationToken);
            return "gate opened";
        }

        public Task<string> ReleaseAsync()
        {
            server.Gate.TrySetResult();
            return Task.FromResult("released");
        }

        public async Task<string> HoldAsync(CancellationToken cancellationToken)
        {
            int now = Interlocked.Increment(ref server._holding);
            lock (server)
            {
                server.MostHeld = Math.Max(server.MostHeld, now);
            }

            try
            {
                await server.Hold.Task.WaitAsync(cancellationToken);
                return "held";
            }
            finally
            {
                Interlocked.Decrement(ref server._holding);
            }
        }

        public Task FailAsync() =>
            throw new SupException(SupError.NoSuchApp, "No app named 'web'. `sup ls` lists apps.") { Details = ["Known apps: api, worker."] };

        public Task CrashAsync() => throw new InvalidOperationException("boom");

        public async Task<string> TickAsync(int count, CancellationToken cancellationToken)
        {
            for (int i = 1; i <= count; i++)
            {
                await peer.NotifyWithParameterObjectAsync("log", new Dictionary<string, object?> { ["line"] = $"line {i}" }, LogTypes);
            }

            return "done";
        }

        public async Task FollowAsync(CancellationToken cancellationToken)
        {
            server.FollowStarted.TrySetResult();
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
            finally
            {
                server.FollowStopped.TrySetResult();
            }
        }
    }
}
