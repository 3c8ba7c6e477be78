using Xunit;
using Supervisor.Core;
using Supervisor.Core.Config;
using Supervisor.Core.Supervision;
using Supervisor.Tests.TestSupport;

namespace Supervisor.Tests.Scheduling;

/// <summary>cron, every, jitter and active hours at the job owner: exact due times on a fake clock, real runs.</summary>
public sealed class JobTriggerTests
{
    private static readonly DateTimeOffset T0 = JobHarness.DefaultStart;

    [Fact]
    public async Task An_every_job_runs_one_interval_after_start_then_one_interval_after_each_due_time()
    {
        await using var h = JobHarness.Create(new JobSpec { Every = TimeSpan.FromMinutes(10) }, "echo tick");
        await h.StartAsync();

        await h.NextRunIsAsync(T0.AddMinutes(10));
        await h.AdvanceToAsync(T0.AddMinutes(10));
        var first = await h.RunsAsync(1);
        await h.NextRunIsAsync(T0.AddMinutes(20));
        await h.AdvanceToAsync(T0.AddMinutes(20));
        var runs = await h.RunsAsync(2);

        Assert.Equal(T0.AddMinutes(10), DateTimeOffset.Parse(first[0].Start));
        Assert.Equal([T0.AddMinutes(10), T0.AddMinutes(20)], runs.Select(r => DateTimeOffset.Parse(r.Start)));
        Assert.All(runs, r => Assert.Equal("every", r.Trigger));
        Assert.All(runs, r => Assert.Equal(0, r.ExitCode));
        await h.NextRunIsAsync(T0.AddMinutes(30));
        Assert.Equal(AppStatus.Scheduled, h.Job.Snapshot().Status);
        // Each run's output follows its header line (docs/jobs.md, "Run context").
        Assert.Equal(["--- sup run job-20261122-091000 (every, attempt 1, scheduled 2026-11-22T09:10:00+00:00) ---", "tick",
                      "--- sup run job-20261122-092000 (every, attempt 1, scheduled 2026-11-22T09:20:00+00:00) ---", "tick"],
            h.OutLog.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task An_every_job_keeps_its_cadence_when_the_daemon_restarts_before_its_first_run()
    {
        var dir = JobHarness.NewDir();
        try
        {
            var job = new JobSpec { Every = TimeSpan.FromHours(6) };
            await using (var before = JobHarness.Create(job, dir: dir))
            {
                await before.StartAsync();
                await before.NextRunIsAsync(T0.AddHours(6));
            }

            await using var after = JobHarness.Create(job, start: T0.AddHours(5), dir: dir);
            await after.StartAsync();

            await after.NextRunIsAsync(T0.AddHours(6));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task A_cron_job_runs_at_each_occurrence_in_its_time_zone()
    {
        // 09:00 UTC is 04:00 in New York (EST): 09:30 New York is 14:30 UTC.
        await using var h = JobHarness.Create(new JobSpec { Cron = "30 9 * * *", Timezone = "America/New_York" });
        await h.StartAsync();

        await h.NextRunIsAsync(new DateTimeOffset(2026, 11, 22, 14, 30, 0, TimeSpan.Zero));
        await h.AdvanceToAsync(new DateTimeOffset(2026, 11, 22, 14, 30, 0, TimeSpan.Zero));
        var run = Assert.Single(await h.RunsAsync(1));

        Assert.Equal("cron", run.Trigger);
        Assert.Equal(new DateTimeOffset(2026, 11, 22, 14, 30, 0, TimeSpan.Zero), DateTimeOffset.Parse(run.Start));
        await h.NextRunIsAsync(new DateTimeOffset(2026, 11, 23, 14, 30, 0, TimeSpan.Zero));
    }

    [Fact]
    public async Task Jitter_is_drawn_once_per_run_logged_and_never_moves_the_next_due_time()
    {
        var every = TimeSpan.FromHours(1);
        var jitter = TimeSpan.FromMinutes(30);
        await using var h = JobHarness.Create(new JobSpec { Every = every, Jitter = jitter });
        await h.StartAsync();

        var firstFire = await h.NextRunAsync();
        var firstJitter = firstFire - (T0 + every);
        await h.AdvanceToAsync(firstFire);
        await h.RunsAsync(1);
        var secondFire = await Eventually.ValueAsync(() => Task.FromResult(h.Job.Snapshot().NextRun), n => n > firstFire,
            TimeSpan.FromSeconds(10), "the second fire time");
        var secondJitter = secondFire!.Value - (T0 + 2 * every);

        Assert.InRange(firstJitter, TimeSpan.Zero, jitter);
        Assert.InRange(secondJitter, TimeSpan.Zero, jitter);
        Assert.Contains(h.Log.Lines, l => l.Contains($"due {T0 + every:O}, jitter +{Duration.Format(firstJitter)}", StringComparison.Ordinal));
        Assert.Contains(h.Log.Lines, l => l.Contains($"due {T0 + 2 * every:O}, jitter +{Duration.Format(secondJitter)}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_run_due_outside_active_hours_waits_for_the_window_and_runs_there_once()
    {
        // Every hour within 07:00-09:00 UTC, started at 08:00: 09:00 is outside, so the next
        // run waits for 07:00 tomorrow; the slots due overnight (07:00 itself included) do not add runs.
        var start = new DateTimeOffset(2026, 11, 22, 8, 0, 0, TimeSpan.Zero);
        var opening = new DateTimeOffset(2026, 11, 23, 7, 0, 0, TimeSpan.Zero);
        await using var h = JobHarness.Create(
            new JobSpec { Every = TimeSpan.FromHours(1), ActiveHours = "07:00-09:00", Timezone = "UTC" }, start: start);
        await h.StartAsync();

        await h.NextRunIsAsync(opening);
        Assert.Contains(h.Log.Lines, l => l.Contains("waits for active hours 07:00-09:00", StringComparison.Ordinal));
        await h.AdvanceToAsync(opening);
        var run = Assert.Single(await h.RunsAsync(1));

        Assert.Equal(opening, DateTimeOffset.Parse(run.Start));
        Assert.Equal("every", run.Trigger);
        await h.NextRunIsAsync(opening.AddHours(1));
        Assert.Single(h.History);
        Assert.Equal(0, h.Job.Counters().Skipped);
    }

    [Fact]
    public async Task A_cron_job_that_never_fires_is_errored_with_the_reason_and_can_still_be_run_by_hand()
    {
        await using var h = JobHarness.Create(new JobSpec { Cron = "0 0 30 2 *" });
        await h.StartAsync();

        var snapshot = h.Job.Snapshot();
        Assert.Equal(AppStatus.Errored, snapshot.Status);
        Assert.Contains("never fires", snapshot.Reason);
        Assert.Null(snapshot.NextRun);

        await h.Job.RunNowAsync(CancellationToken.None);
        var run = Assert.Single(await h.RunsAsync(1));
        Assert.Equal("manual", run.Trigger);
        await h.StatusIsAsync(AppStatus.Errored);
    }

    [Fact]
    public async Task An_invalid_cron_field_leaves_the_job_errored_naming_the_field()
    {
        await using var h = JobHarness.Create(new JobSpec { Cron = "0 25 * * *" });
        await h.StartAsync();

        var snapshot = h.Job.Snapshot();
        Assert.Equal(AppStatus.Errored, snapshot.Status);
        Assert.Contains("hour", snapshot.Reason);
    }

    [Fact]
    public async Task A_job_started_twice_keeps_one_schedule()
    {
        await using var h = JobHarness.Create(new JobSpec { Every = TimeSpan.FromMinutes(10) });
        await h.StartAsync();
        await h.StartAsync();

        await h.NextRunIsAsync(T0.AddMinutes(10));
        await h.AdvanceToAsync(T0.AddMinutes(10));
        await h.RunsAsync(1);
        await h.NextRunIsAsync(T0.AddMinutes(20));

        Assert.Single(h.History);
        Assert.Equal(0, h.Job.Counters().Skipped);
    }
}
