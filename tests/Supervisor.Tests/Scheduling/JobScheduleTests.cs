using Supervisor.Core;
using Supervisor.Core.Config;
using Supervisor.Core.Scheduling;
using Xunit;

namespace Supervisor.Tests.Scheduling;

public sealed class JobScheduleTests
{
    private static readonly TimeZoneInfo Utc = TimeZoneInfo.Utc;

    private static DateTimeOffset UtcAt(int day, int hour, int minute, int second = 0) => new(2026, 5, day, hour, minute, second, TimeSpan.Zero);

    private static JobSchedule Cron(string expression, TimeSpan jitter = default, ActiveHours? window = null, int seed = 1) =>
        new(CronExpression.Parse(expression), null, jitter, window, Utc, new Random(seed));

    private static JobSchedule Every(TimeSpan every, TimeSpan jitter = default, ActiveHours? window = null, int seed = 1) =>
        new(null, every, jitter, window, Utc, new Random(seed));

    [Fact]
    public void A_cron_job_first_runs_at_the_next_occurrence_after_now()
    {
        var run = Cron("0 9 * * *").Next(null, UtcAt(4, 10, 0));

        Assert.Equal(new ScheduledRun(UtcAt(5, 9, 0), UtcAt(5, 9, 0), TimeSpan.Zero), run);
    }

    [Fact]
    public void A_cron_job_then_runs_at_the_occurrence_after_the_previous_due_time()
    {
        var run = Cron("0 * * * *").Next(UtcAt(4, 9, 0), UtcAt(4, 9, 0, 1));

        Assert.Equal(UtcAt(4, 10, 0), run!.NominalDue);
    }

    [Fact]
    public void A_cron_job_whose_previous_due_time_is_long_past_continues_from_now()
    {
        var run = Cron("0 * * * *").Next(UtcAt(1, 9, 0), UtcAt(4, 12, 30));

        Assert.Equal(UtcAt(4, 13, 0), run!.NominalDue);
    }

    [Fact]
    public void A_cron_occurrence_exactly_at_now_is_due_now()
    {
        var run = Cron("0 * * * *").Next(UtcAt(4, 9, 0), UtcAt(4, 12, 0));

        Assert.Equal(UtcAt(4, 12, 0), run!.NominalDue);
    }

    [Fact]
    public void A_cron_job_that_never_fires_has_no_next_run()
    {
        Assert.Null(Cron("0 0 30 2 *").Next(null, UtcAt(4, 12, 0)));
    }

    [Fact]
    public void An_every_job_first_runs_one_interval_after_now()
    {
        var run = Every(TimeSpan.FromHours(6)).Next(null, UtcAt(4, 10, 15));

        Assert.Equal(UtcAt(4, 16, 15), run!.NominalDue);
        Assert.Equal(UtcAt(4, 16, 15), run.FireAt);
    }

    [Fact]
    public void An_every_job_counts_from_the_previous_due_time_not_from_when_the_run_ended()
    {
        var run = Every(TimeSpan.FromHours(1)).Next(UtcAt(4, 9, 0), UtcAt(4, 9, 47));

        Assert.Equal(UtcAt(4, 10, 0), run!.NominalDue);
    }

    [Fact]
    public void An_every_job_after_downtime_advances_by_whole_intervals_past_now()
    {
        var run = Every(TimeSpan.FromHours(6)).Next(UtcAt(1, 9, 0), UtcAt(3, 10, 0));

        Assert.Equal(UtcAt(3, 15, 0), run!.NominalDue);
    }

    [Fact]
    public void An_every_due_time_exactly_at_now_is_due_now()
    {
        var run = Every(TimeSpan.FromHours(6)).Next(UtcAt(1, 9, 0), UtcAt(1, 21, 0));

        Assert.Equal(UtcAt(1, 21, 0), run!.NominalDue);
    }

    [Fact]
    public void Jitter_is_one_uniform_draw_added_to_the_nominal_time()
    {
        var jitter = TimeSpan.FromMinutes(30);
        var expectedDraw = TimeSpan.FromMilliseconds(new Random(42).NextInt64(0, (long)jitter.TotalMilliseconds + 1));

        var run = Every(TimeSpan.FromHours(6), jitter, seed: 42).Next(UtcAt(4, 0, 0), UtcAt(4, 1, 0));

        Assert.Equal(UtcAt(4, 6, 0), run!.NominalDue);
        Assert.Equal(expectedDraw, run.Jitter);
        Assert.Equal(run.NominalDue + run.Jitter, run.FireAt);
    }

    [Fact]
    public void Jitter_spreads_runs_over_the_whole_range_and_never_beyond()
    {
        var jitter = TimeSpan.FromMinutes(30);
        var schedule = Every(TimeSpan.FromHours(6), jitter, seed: 7);

        var draws = Enumerable.Range(0, 500).Select(_ => schedule.Next(UtcAt(4, 0, 0), UtcAt(4, 1, 0))!.Jitter).ToList();

        Assert.All(draws, d => Assert.InRange(d, TimeSpan.Zero, jitter));
        Assert.True(draws.Min() < TimeSpan.FromMinutes(2), $"smallest draw {draws.Min()}");
        Assert.True(draws.Max() > TimeSpan.FromMinutes(28), $"largest draw {draws.Max()}");
    }

    [Fact]
    public void Jitter_does_not_move_the_nominal_due_time_of_the_next_run()
    {
        var schedule = Every(TimeSpan.FromHours(6), TimeSpan.FromMinutes(30), seed: 3);

        var first = schedule.Next(null, UtcAt(4, 0, 0))!;
        var second = schedule.Next(first.NominalDue, first.FireAt.AddMinutes(5))!;

        Assert.Equal(UtcAt(4, 6, 0), first.NominalDue);
        Assert.Equal(UtcAt(4, 12, 0), second.NominalDue);
    }

    [Fact]
    public void A_run_due_outside_active_hours_waits_for_the_window_to_open()
    {
        var schedule = Every(TimeSpan.FromHours(6), window: ActiveHours.Parse("07:00-23:00"));

        var run = schedule.Next(UtcAt(3, 20, 0), UtcAt(3, 20, 5))!;

        Assert.Equal(UtcAt(4, 2, 0), run.NominalDue);
        Assert.Equal(UtcAt(4, 7, 0), run.FireAt);
    }

    [Fact]
    public void Jitter_that_pushes_a_run_past_the_window_end_waits_for_the_next_opening()
    {
        var schedule = Cron("50 22 * * *", TimeSpan.FromMinutes(30), ActiveHours.Parse("07:00-23:00"), seed: 5);

        var runs = Enumerable.Range(0, 50).Select(_ => schedule.Next(null, UtcAt(4, 12, 0))!).ToList();

        Assert.All(runs, r => Assert.True(r.FireAt == r.NominalDue + r.Jitter || r.FireAt == UtcAt(5, 7, 0), $"{r}"));
        Assert.Contains(runs, r => r.FireAt == UtcAt(5, 7, 0));
        Assert.Contains(runs, r => r.FireAt < UtcAt(4, 23, 0));
    }

    [Fact]
    public void Create_builds_a_cron_schedule_in_the_job_zone()
    {
        var spec = new JobSpec { Cron = "0 9 * * MON", Timezone = "America/New_York", Jitter = TimeSpan.FromMinutes(5), ActiveHours = "07:00-23:00" };

        var schedule = JobSchedule.Create(spec, new Random(1))!;

        Assert.Equal("0 9 * * MON", schedule.Cron!.ToString());
        Assert.Equal("America/New_York", schedule.Zone.Id);
        Assert.Equal(TimeSpan.FromMinutes(5), schedule.Jitter);
        Assert.Equal(ActiveHours.Parse("07:00-23:00"), schedule.ActiveHours);
        Assert.Equal(new DateTimeOffset(2026, 5, 4, 9, 0, 0, TimeSpan.FromHours(-4)), schedule.Next(null, UtcAt(2, 0, 0))!.NominalDue);
    }

    [Fact]
    public void Create_builds_an_every_schedule_in_the_machine_zone_by_default()
    {
        var schedule = JobSchedule.Create(new JobSpec { Every = TimeSpan.FromHours(6) }, new Random(1))!;

        Assert.Equal(TimeSpan.FromHours(6), schedule.Every);
        Assert.Null(schedule.Cron);
        Assert.Equal(TimeZoneInfo.Local, schedule.Zone);
    }

    [Fact]
    public void Create_returns_null_for_a_job_without_a_time_trigger()
    {
        var onFile = new JobSpec { OnFile = new OnFileSpec("/tmp/inbox", "*.md", null) };

        Assert.Null(JobSchedule.Create(onFile, new Random(1)));
    }

    [Fact]
    public void Create_reports_an_invalid_cron_expression_as_invalid_config()
    {
        var error = Assert.Throws<SupException>(() => JobSchedule.Create(new JobSpec { Cron = "0 25 * * *" }, new Random(1)));

        Assert.Equal(SupError.InvalidConfig, error.Error);
        Assert.Equal("Invalid cron expression \"0 25 * * *\": hour field \"25\" is out of range 0-23.", error.Message);
    }

    [Fact]
    public void Create_reports_invalid_active_hours_as_invalid_config()
    {
        var error = Assert.Throws<SupException>(() => JobSchedule.Create(new JobSpec { Every = TimeSpan.FromHours(1), ActiveHours = "7-23" }, new Random(1)));

        Assert.Equal(SupError.InvalidConfig, error.Error);
        Assert.Contains("\"7-23\"", error.Message);
    }

    [Fact]
    public void Create_rejects_a_job_with_both_cron_and_every()
    {
        var error = Assert.Throws<SupException>(() => JobSchedule.Create(new JobSpec { Cron = "* * * * *", Every = TimeSpan.FromHours(1) }, new Random(1)));

        Assert.Equal(SupError.InvalidConfig, error.Error);
    }

    [Fact]
    public void Create_reports_an_unknown_time_zone()
    {
        var error = Assert.Throws<SupException>(() => JobSchedule.Create(new JobSpec { Cron = "* * * * *", Timezone = "Mars/Olympus" }, new Random(1)));

        Assert.Equal(SupError.BadArgument, error.Error);
    }

    [Fact]
    public void A_schedule_needs_exactly_one_trigger_and_a_positive_interval()
    {
        Assert.Throws<ArgumentException>(() => new JobSchedule(null, null, TimeSpan.Zero, null, Utc, new Random(1)));
        Assert.Throws<ArgumentException>(() => new JobSchedule(CronExpression.Parse("* * * * *"), TimeSpan.FromHours(1), TimeSpan.Zero, null, Utc, new Random(1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new JobSchedule(null, TimeSpan.Zero, TimeSpan.Zero, null, Utc, new Random(1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new JobSchedule(null, TimeSpan.FromHours(1), TimeSpan.FromSeconds(-1), null, Utc, new Random(1)));
    }
}
