using System.Text.Json.Nodes;
using System.Threading.Channels;
using Supervisor.Core;
using Supervisor.Core.Rpc;
using Xunit;

namespace Supervisor.Tests.Rpc;

/// <summary>
/// A real <see cref="RpcServer"/> on a socket in a short temp dir, serving a few methods
/// that exercise the dispatcher: fast, slow, failing, streaming.
/// </summary>
internal sealed class TestRpcServer : IAsyncDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    private readonly CancellationTokenSource _stop = new();
    private Task _run = Task.CompletedTask;

    private TestRpcServer(string directory)
    {
        Directory = directory;
        SocketPath = Path.Combine(directory, "sup.sock");
    }

    public string Directory { get; }

    public string SocketPath { get; }

    public RpcDispatcher Dispatcher { get; } = new();

    public ListLogger Logger { get; } = new();

    public Task RunTask => _run;

    /// <summary>Params of every "record" notification, in arrival order.</summary>
    public Channel<string> Recorded { get; } = Channel.CreateUnbounded<string>();

    public TaskCompletionSource SlowStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource SlowCancelled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource Gate { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource FollowStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource FollowStopped { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <param name="drainTimeout">How long handlers may still answer after a client's end of input.</param>
    public static async Task<TestRpcServer> StartAsync(TimeSpan? drainTimeout = null)
    {
        string directory = Path.Combine("/tmp", "sup-t-" + Guid.NewGuid().ToString("N")[..8]);
        System.IO.Directory.CreateDirectory(directory);
        var server = new TestRpcServer(directory);
        server.RegisterMethods();
        var rpcServer = new RpcServer(server.SocketPath, server.Dispatcher, server.Logger)
        {
            ConnectionDrainTimeout = drainTimeout ?? TimeSpan.FromSeconds(10),
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

    private void RegisterMethods()
    {
        Dispatcher.Register("ping", (_, _) => ValueTask.FromResult<JsonNode?>("pong"));

        Dispatcher.Register("start", (context, _) =>
            ValueTask.FromResult<JsonNode?>("started " + context.Params.GetRequiredString(0, "name")));

        Dispatcher.Register("add", (context, _) =>
        {
            int a = context.Params.GetInt32(0, "a") ?? throw new RpcInvalidParamsException("The parameter 'a' is required.", "a");
            int b = context.Params.GetInt32(1, "b") ?? throw new RpcInvalidParamsException("The parameter 'b' is required.", "b");
            return ValueTask.FromResult<JsonNode?>(a + b);
        });

        Dispatcher.Register("logs.follow", (_, _) => ValueTask.FromResult<JsonNode?>("following"));

        Dispatcher.Register("record", (context, _) =>
        {
            Recorded.Writer.TryWrite(context.Params.GetRequiredString(0, "value"));
            return ValueTask.FromResult<JsonNode?>(null);
        });

        Dispatcher.Register("slow", async (_, ct) =>
        {
            SlowStarted.TrySetResult();
            try
            {
                await Task.Delay(Timeout.Infinite, ct);
            }
            catch (OperationCanceledException)
            {
                SlowCancelled.TrySetResult();
                throw;
            }

            return null;
        });

        Dispatcher.Register("gate", async (_, ct) =>
        {
            await Gate.Task.WaitAsync(ct);
            return "gate opened";
        });

        Dispatcher.Register("release", (_, _) =>
        {
            Gate.TrySetResult();
            return ValueTask.FromResult<JsonNode?>("released");
        });

        Dispatcher.Register("fail", (_, _) =>
            throw new SupException(SupError.NoSuchApp, "No app named 'web'. `sup ls` lists apps.") { Details = ["Known apps: api, worker."] });

        Dispatcher.Register("crash", (_, _) => throw new InvalidOperationException("boom"));

        Dispatcher.Register("tick", async (context, ct) =>
        {
            int count = context.Params.GetInt32(0, "count") ?? 1;
            for (int i = 1; i <= count; i++)
            {
                await context.Connection.NotifyAsync("log", new JsonObject { ["line"] = $"line {i}" }, ct);
            }

            return "done";
        });

        Dispatcher.Register("follow", async (context, ct) =>
        {
            FollowStarted.TrySetResult();
            try
            {
                await Task.Delay(Timeout.Infinite, context.Connection.Closed);
            }
            finally
            {
                FollowStopped.TrySetResult();
            }

            return null;
        });
    }
}
