using System.Globalization;
using Supervisor.Core.Export;
using Supervisor.Core.Scheduling;
using Xunit;

namespace Supervisor.Tests.Export;

/// <summary>
/// Every OnCalendar= the exporter writes, run through `systemd-analyze calendar --iterations=N`,
/// must name the same instants as sup's own CronExpression (what `sup cron --next N` prints).
/// </summary>
public sealed class CronToOnCalendarTests
{
    private const int Iterations = 25;
    // Away from any DST change for the first weeks, so the two engines are compared where they can agree (docs/export.md).
    private static readonly DateTimeOffset Base = new(2026, 12, 4, 0, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("0 9 * * MON", "America/New_York")]
    [InlineData("0 9 1 * MON", "Europe/Paris")]
    [InlineData("0 9 */2 * MON", null)]
    [InlineData("*/15 9-17 * * MON-FRI", "Asia/Tokyo")]
    [InlineData("30 2 * * *", null)]
    [InlineData("0 0 29 2 *", null)]
    [InlineData("5/20 * * * *", "Australia/Adelaide")]
    [InlineData("*/20 * * * * *", null)]
    [InlineData("0 12 * JAN,JUL SUN", "America/Los_Angeles")]
    [InlineData("@hourly", null)]
    [InlineData("@weekly", "Europe/London")]
    public async Task Systemd_and_sup_agree_on_the_next_fire_times(string expression, string? zone)
    {
        var cron = CronExpression.Parse(expression);
        var sup = cron.GetOccurrences(Base, TimeZones.Find(zone), Iterations).Select(t => t.UtcDateTime).ToList();
        var systemd = await SystemdTimesAsync(CronToOnCalendar.Convert(cron, zone));

        Assert.Equal(sup, systemd);
    }

    [Fact]
    public async Task Active_hours_folded_into_the_hours_fire_only_inside_the_window()
    {
        var cron = CronExpression.Parse("*/30 * * * *");
        var hours = CronToOnCalendar.HoursOf(ActiveHours.Parse("22:00-02:00"));
        var times = await SystemdTimesAsync(CronToOnCalendar.Convert(cron, "UTC", hours));

        Assert.Equal(8, times.Take(8).Count(t => t.Hour is 22 or 23 or 0 or 1));
        Assert.All(times, t => Assert.Contains(t.Hour, new[] { 22, 23, 0, 1 }));
        Assert.Null(CronToOnCalendar.HoursOf(ActiveHours.Parse("09:15-17:00")));
    }

    /// <summary>The union of the first instants of each value, as systemd computes them, in UTC.</summary>
    private static async Task<List<DateTime>> SystemdTimesAsync(IReadOnlyList<string> values)
    {
        var all = new List<DateTime>();
        foreach (var value in values)
        {
            var (exit, output) = await ExportTools.RunAsync(ExportTools.SystemdAnalyze,
                ["calendar", $"--iterations={Iterations}", "--base-time=" + Base.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " UTC", value]);
            Assert.True(exit == 0, $"{value}: {output}");
            foreach (var line in output.Split('\n'))
            {
                var trimmed = line.Trim();
                if (!trimmed.StartsWith("Next elapse:", StringComparison.Ordinal) && !trimmed.StartsWith("Iter. #", StringComparison.Ordinal)) continue;
                // "Iter. #2: Mon 2026-12-14 14:00:00 UTC" (TZ=UTC: systemd prints UTC).
                var text = trimmed[(trimmed.IndexOf(':') + 2)..];
                all.Add(DateTime.ParseExact(text, "ddd yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal));
            }
        }
        return [.. all.Distinct().Order().Take(Iterations)];
    }
}
