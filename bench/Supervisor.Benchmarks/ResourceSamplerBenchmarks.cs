using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using Supervisor.Core.Platform;

namespace Supervisor.Benchmarks;

/// <summary>
/// One sampling pass of the daemon (every 2 s): cpu and memory of 100 app trees from one scan of
/// /proc. Its cost grows with the number of processes on the machine, not only with the apps.
/// </summary>
[MemoryDiagnoser]
public class ResourceSamplerBenchmarks
{
    private readonly List<Process> _apps = [];
    private ResourceSampler _sampler = null!;
    private int[] _pids = [];

    [Params(100)]
    public int Apps { get; set; }

    [GlobalSetup]
    public void StartApps()
    {
        for (var i = 0; i < Apps; i++)
            _apps.Add(Process.Start(new ProcessStartInfo("sleep", "3600") { UseShellExecute = false })!);
        _pids = [.. _apps.Select(p => p.Id)];
        _sampler = new ResourceSampler(ProcessControl.Current, TimeProvider.System);
        _sampler.Sample(_pids);
    }

    [GlobalCleanup]
    public void StopApps()
    {
        foreach (var app in _apps)
        {
            app.Kill();
            app.WaitForExit();
            app.Dispose();
        }
    }

    [Benchmark]
    public int SampleAllApps() => _sampler.Sample(_pids).Count;
}
