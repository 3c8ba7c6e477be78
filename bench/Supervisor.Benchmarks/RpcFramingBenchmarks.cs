using System.Text;
using BenchmarkDotNet.Attributes;
using Supervisor.Core.Rpc;

namespace Supervisor.Benchmarks;

/// <summary>
/// The JSON-RPC framing every CLI call goes through: writing one <c>Content-Length</c> frame, and
/// reading a run of frames back from a buffered stream (as the daemon reads a connection).
/// Body sizes: a small request (~100 B, `ls`), and an `ls --json` answer for 100 apps (~30 KB),
/// which is larger than the reader's 16 KiB buffer and so takes its second path.
/// </summary>
[MemoryDiagnoser]
public class RpcFramingBenchmarks
{
    private const int FramesPerRead = 64;

    private byte[] _body = [];
    private byte[] _framed = [];
    private readonly MemoryStream _sink = new();

    [Params(100, 30_000)]
    public int BodyBytes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        // A JSON-looking body of exactly BodyBytes bytes.
        var text = new StringBuilder("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":\"");
        while (text.Length < BodyBytes - 2)
            text.Append('x');
        text.Append("\"}");
        _body = Encoding.UTF8.GetBytes(text.ToString());

        using var frames = new MemoryStream();
        for (var i = 0; i < FramesPerRead; i++)
            FrameWriter.WriteFrameAsync(frames, _body, CancellationToken.None).AsTask().GetAwaiter().GetResult();
        _framed = frames.ToArray();
    }

    [Benchmark]
    public long WriteFrame()
    {
        _sink.Position = 0;
        FrameWriter.WriteFrameAsync(_sink, _body, CancellationToken.None).AsTask().GetAwaiter().GetResult();
        return _sink.Position;
    }

    /// <summary>Reads <see cref="FramesPerRead"/> frames; divide by it for one frame.</summary>
    [Benchmark(OperationsPerInvoke = FramesPerRead)]
    public async Task<int> ReadFrames()
    {
        using var reader = new FrameReader(new MemoryStream(_framed, writable: false));
        var total = 0;
        while (await reader.ReadFrameAsync(CancellationToken.None) is { } frame)
            total += frame.Length;
        return total;
    }
}
