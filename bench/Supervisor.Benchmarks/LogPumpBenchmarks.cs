using BenchmarkDotNet.Attributes;
using Supervisor.Core.Logs;

namespace Supervisor.Benchmarks;

/// <summary>
/// The log path of one app: 16 MB of 100-byte lines from a stream into a <see cref="RotatingLogFile"/>
/// rotated at 10 MB (so each operation rotates once), as written unchanged and with a date prefix
/// on every line. The source is in memory, so this measures the pump and the file writes, not the
/// pipe; bench/run.sh measures the whole path with a real child.
/// </summary>
[MemoryDiagnoser]
public class LogPumpBenchmarks
{
    private const int LineLength = 100;
    private const int Lines = 16 * 1024 * 1024 / LineLength;

    private byte[] _output = [];
    private string _dir = "";
    private int _round;

    [Params(false, true)]
    public bool DatePrefix { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _output = new byte[Lines * LineLength];
        for (var i = 0; i < Lines; i++)
        {
            var line = _output.AsSpan(i * LineLength, LineLength);
            line.Fill((byte)'a');
            i.TryFormat(line, out _);
            line[^1] = (byte)'\n';
        }
        _dir = Directory.CreateTempSubdirectory("sup-bench-logpump-").FullName;
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_dir, recursive: true);

    [Benchmark]
    public async Task<long> Pump16MB()
    {
        // A file of its own each time, so every operation starts from an empty log.
        var path = Path.Combine(_dir, $"app-{_round++}.log");
        var sink = new RotatingLogFile(new LogFileOptions(path, MaxSize: 10 * 1024 * 1024, Retain: 2, Compress: false), TimeProvider.System);
        await using (sink)
        {
            var prefixer = DatePrefix ? new LinePrefixer("yyyy-MM-dd HH:mm:ss.fff", TimeProvider.System) : null;
            await OutputPump.PumpAsync(new MemoryStream(_output, writable: false), sink, prefixer, null, CancellationToken.None);
        }
        var written = sink.Length;
        foreach (var file in Directory.EnumerateFiles(_dir))
            File.Delete(file);
        return written;
    }
}
