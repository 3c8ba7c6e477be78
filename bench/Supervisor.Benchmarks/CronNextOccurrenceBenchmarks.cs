using BenchmarkDotNet.Attributes;
using Supervisor.Core.Scheduling;

namespace Supervisor.Benchmarks;

/// <summary>
/// The cost of one next-fire-time computation, the daemon's per-run scheduling step, for
/// representative expressions in UTC and in a zone with daylight saving time, from an ordinary
/// day and from the evening before New York springs forward (where the search must locate the
/// clock change exactly).
/// </summary>
[MemoryDiagnoser]
public class CronNextOccurrenceBenchmarks
{
    public enum StartPoint
    {
        OrdinaryDay,
        EveOfSpringForward,
    }

    private CronExpression _cron = null!;
    private TimeZoneInfo _zone = null!;
    private DateTimeOffset _from;

    [Params("*/5 * * * *", "30 2 * * *", "0 9 * * MON-FRI", "0 0 29 2 *", "*/30 * * * * *")]
    public string Expression { get; set; } = "";

    [Params("UTC", "America/New_York")]
    public string Zone { get; set; } = "";

    [ParamsAllValues]
    public StartPoint Start { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _cron = CronExpression.Parse(Expression);
        _zone = TimeZoneInfo.FindSystemTimeZoneById(Zone);
        _from = Start == StartPoint.OrdinaryDay
            ? new DateTimeOffset(2026, 6, 10, 14, 17, 42, TimeSpan.Zero)
            : new DateTimeOffset(2026, 3, 7, 23, 17, 42, TimeSpan.Zero);
    }

    [Benchmark]
    public DateTimeOffset? NextOccurrence() => _cron.GetNextOccurrence(_from, _zone);
}
