using Supervisor.Core.Scheduling;
using Xunit;

namespace Supervisor.Tests.Scheduling;

public sealed class CronPreviewTests
{
    [Fact]
    public void Each_line_is_the_iso_time_with_offset_then_the_human_form()
    {
        var now = new DateTimeOffset(2026, 3, 6, 8, 0, 0, TimeSpan.FromHours(-5));

        var lines = CronPreview.Lines(CronExpression.Parse("0 9 * * MON"), TestZones.NewYork, now, 2, now);

        Assert.Equal(
            [
                "2026-03-09T09:00:00-04:00  Mon 9 Mar 09:00 EDT, in 3 days",
                "2026-03-16T09:00:00-04:00  Mon 16 Mar 09:00 EDT, in 10 days",
            ],
            lines);
    }

    [Fact]
    public void Lines_show_the_spring_forward_shift_with_the_new_offset()
    {
        var from = new DateTimeOffset(2026, 3, 7, 12, 0, 0, TimeSpan.FromHours(-5));

        var lines = CronPreview.Lines(CronExpression.Parse("30 2 * * *"), TestZones.NewYork, from, 2, from);

        Assert.Equal(
            [
                "2026-03-08T03:00:00-04:00  Sun 8 Mar 03:00 EDT, in 14h",
                "2026-03-09T02:30:00-04:00  Mon 9 Mar 02:30 EDT, in 1 day 13h",
            ],
            lines);
    }

    [Fact]
    public void An_expression_that_never_fires_has_no_lines()
    {
        var now = new DateTimeOffset(2026, 3, 6, 8, 0, 0, TimeSpan.Zero);

        Assert.Empty(CronPreview.Lines(CronExpression.Parse("0 0 30 2 *"), TimeZoneInfo.Utc, now, 5, now));
    }
}
