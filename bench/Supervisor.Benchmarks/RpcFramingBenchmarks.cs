using BenchmarkDotNet.Attributes;
using Nerdbank.Streams;
using StreamJsonRpc;
using Supervisor.Core.Protocol;
using Supervisor.Core.Rpc;

namespace Supervisor.Benchmarks;

/// <summary>
/// One `list` call through the whole RPC stack both ends use (StreamJsonRpc over
/// <see cref="SupJsonRpc"/>: frame check, header framing, System.Text.Json with the
/// source-generated contract, dispatch), over an in-memory duplex stream. 1 app is a small
/// reply (~400 B); 100 apps is an `ls --json` of ~40 KB.
/// </summary>
[MemoryDiagnoser]
public class RpcFramingBenchmarks
{
    private SupJsonRpc _client = null!;
    private SupJsonRpc _server = null!;

    [Params(1, 100)]
    public int Apps { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var (clientStream, serverStream) = FullDuplexStream.CreatePair();
        _server = SupJsonRpc.Create(serverStream);
        _server.AddLocalRpcTarget(new Target(Apps));
        _server.StartListening();
        _client = SupJsonRpc.Create(clientStream);
        _client.StartListening();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _client.Dispose();
        _server.Dispose();
    }

    [Benchmark]
    public Task<AppInfo[]> List() => _client.InvokeAsync<AppInfo[]>("list");

    private sealed class Target(int apps)
    {
        private readonly AppInfo[] _apps = Enumerable.Range(0, apps).Select(i => new AppInfo
        {
            Name = $"app-{i}", Kind = "service", Status = "online", Pid = 1000 + i, UptimeMs = 123456, Cpu = 1.5, Memory = 12_345_678,
            Reason = $"pid {1000 + i}",
        }).ToArray();

        [JsonRpcMethod("list")]
        public AppInfo[] List() => _apps;
    }
}
