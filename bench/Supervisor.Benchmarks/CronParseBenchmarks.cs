using BenchmarkDotNet.Attributes;
using Supervisor.Core.Scheduling;

namespace Supervisor.Benchmarks;

/// <summary>Parsing cost, paid once per ecosystem load and per `sup cron` call.</summary>
[MemoryDiagnoser]
public class CronParseBenchmarks
{
    [Benchmark]
    public CronExpression ParseWeekdays() => CronExpression.Parse("0 9 * * MON-FRI");

    [Benchmark]
    public CronExpression ParseSixFieldLists() => CronExpression.Parse("0,30 */15 9-17 1,15 JAN-JUN *");
}
