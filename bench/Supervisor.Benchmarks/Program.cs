using BenchmarkDotNet.Running;

namespace Supervisor.Benchmarks;

public static class Program
{
    // Every benchmark class in this assembly is picked up: add a class, then select it with --filter.
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
