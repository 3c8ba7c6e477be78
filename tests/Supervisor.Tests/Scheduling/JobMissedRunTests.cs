using Supervisor.Core.Supervision;
using Xunit;
using Supervisor.Core.Config;

namespace Supervisor.Tests.Scheduling;

/// <summary>run_missed: once after daemon downtime (from state.json), once after the machine slept (a wall-clock jump).</summary>
public sealed class JobMissedRunTests
{
    private static readonly DateTimeOffset T0 = JobHarness.DefaultStart;

    /// <summary>state.json as a daemon left it that went down 3 hours ago, its next run due 2h53m ago.</summary>
    private static string StateFromBeforeDowntime() => $$"""
        {
          "jobs": {
            "job": {
              "enabled": true,
              "last_nominal_due": "{{T0.AddHours(-3).AddMinutes(-7):O}}",
              "next_due": "{{T0.AddHours(-3).AddMinutes(3):O}}",
              "run_count": 5
            }
          }
        }
        """;

    [Fact]
    public async Task After_daemon_downtime_a_job_with_run_missed_runs_once_then_keeps_its_cadence()
    {
        await using var h = JobHarness.Create(new JobSpec { Every = TimeSpan.FromMinutes(10), RunMissed = true },
            stateJson: StateFromBeforeDowntime());
        await h.StartAsync();

        var run = Assert.Single(await h.RunsAsync(6)); // 5 before the downtime + 1
        Assert.Equal("missed", run.Trigger);
        Assert.Equal(T0, DateTimeOffset.Parse(run.Start));
        // Slots every 10 minutes from the last due time: ..., 08:53, 09:03.
        await h.NextRunIsAsync(T0.AddMinutes(3));
        Assert.Contains(h.Log.Lines, l => l.Contains("was missed while the daemon was down; running once", StringComparison.Ordinal));
    }

    [Fact]
    public async Task After_daemon_downtime_a_job_without_run_missed_just_continues()
    {
        await using var h = JobHarness.Create(new JobSpec { Every = TimeSpan.FromMinutes(10) }, stateJson: StateFromBeforeDowntime());
        await h.StartAsync();

        await h.NextRunIsAsync(T0.AddMinutes(3));
        await h.AdvanceToAsync(T0.AddMinutes(3));
        var run = Assert.Single(await h.RunsAsync(6));

        Assert.Equal("every", run.Trigger);
        Assert.Equal(T0.AddMinutes(3), DateTimeOffset.Parse(run.Start));
    }

    [Fact]
    public async Task A_missed_run_outside_active_hours_waits_for_the_window()
    {
        var start = new DateTimeOffset(2026, 11, 22, 3, 0, 0, TimeSpan.Zero);
        var state = $$"""{ "jobs": { "job": { "next_due": "{{start.AddHours(-2):O}}", "last_nominal_due": "{{start.AddHours(-8):O}}" } } }""";
        var opening = new DateTimeOffset(2026, 11, 22, 7, 0, 0, TimeSpan.Zero);
        await using var h = JobHarness.Create(
            new JobSpec { Every = TimeSpan.FromHours(6), RunMissed = true, ActiveHours = "07:00-23:00", Timezone = "UTC" },
            start: start, stateJson: state);
        await h.StartAsync();

        await h.NextRunIsAsync(opening);
        Assert.Empty(h.History);
        await h.AdvanceToAsync(opening);
        var run = Assert.Single(await h.RunsAsync(1));

        Assert.Equal("missed", run.Trigger);
        Assert.Equal(opening, DateTimeOffset.Parse(run.Start));
        // The 6-hourly slots continue from the last due time (19:00 yesterday): 07:00 was covered by the catch-up.
        await h.NextRunIsAsync(opening.AddHours(6));
    }

    [Fact]
    public async Task When_the_machine_sleeps_past_due_times_the_job_runs_once_on_wake()
    {
        await using var h = JobHarness.Create(new JobSpec { Every = TimeSpan.FromMinutes(10), RunMissed = true });
        await h.StartAsync();
        await h.NextRunIsAsync(T0.AddMinutes(10));
        await h.AdvanceToAsync(T0.AddMinutes(5));
        await h.TimersAsync();

        // Asleep for 3 hours: the wall clock jumps, the monotonic timer keeps the minute it had left.
        h.Time.Jump(TimeSpan.FromHours(3));
        await h.AdvanceAsync(TimeSpan.FromMinutes(1));

        var run = Assert.Single(await h.RunsAsync(1));
        Assert.Equal("missed", run.Trigger);
        Assert.Equal(T0.AddHours(3).AddMinutes(6), DateTimeOffset.Parse(run.Start));
        await h.NextRunIsAsync(T0.AddHours(3).AddMinutes(10));
        Assert.Contains(h.Log.Lines, l => l.Contains("the machine slept or the clock jumped); running once", StringComparison.Ordinal));
    }

    [Fact]
    public async Task When_the_machine_sleeps_past_due_times_without_run_missed_the_slots_are_skipped_and_logged()
    {
        await using var h = JobHarness.Create(new JobSpec { Every = TimeSpan.FromMinutes(10) });
        await h.StartAsync();
        await h.NextRunIsAsync(T0.AddMinutes(10));
        await h.AdvanceToAsync(T0.AddMinutes(5));
        await h.TimersAsync();

        h.Time.Jump(TimeSpan.FromHours(3));
        await h.AdvanceAsync(TimeSpan.FromMinutes(1));

        await h.NextRunIsAsync(T0.AddHours(3).AddMinutes(10));
        Assert.Empty(h.History);
        Assert.Contains(h.Log.Lines, l => l.Contains("run_missed is off", StringComparison.Ordinal));
        await h.AdvanceToAsync(T0.AddHours(3).AddMinutes(10));
        Assert.Equal("every", Assert.Single(await h.RunsAsync(1)).Trigger);
    }

    [Fact]
    public Task A_disabled_job_owes_no_missed_run_after_a_restart() =>
        AcrossADaemonRestartAsync(
            before => before.Job.SetEnabledAsync(false, CancellationToken.None),
            async after =>
            {
                await after.Job.SetEnabledAsync(true, CancellationToken.None);
                await OwesNothingAsync(after);
            });

    [Fact]
    public Task A_job_stopped_by_the_user_owes_no_missed_run_after_a_restart() =>
        AcrossADaemonRestartAsync(
            // Through the interface, as the daemon's stop method calls it.
            before => ((IAppSupervisor)before.Job).StopByUserAsync("stopped by user", CancellationToken.None),
            OwesNothingAsync);

    [Fact]
    public Task A_job_stopped_by_the_daemon_shutting_down_still_catches_up() =>
        AcrossADaemonRestartAsync(
            before => before.Job.StopAsync("daemon shutting down", CancellationToken.None),
            async after => Assert.Equal("missed", Assert.Single(await after.RunsAsync(1)).Trigger));

    /// <summary>
    /// A daemon starts an every-10-minutes job with run_missed and does <paramref name="beforeTheRestart"/>
    /// to it; two hours later a new daemon over the same state.json starts the job, then <paramref name="afterTheRestart"/>.
    /// </summary>
    private static async Task AcrossADaemonRestartAsync(Func<JobHarness, Task> beforeTheRestart, Func<JobHarness, Task> afterTheRestart)
    {
        var dir = JobHarness.NewDir();
        try
        {
            var job = new JobSpec { Every = TimeSpan.FromMinutes(10), RunMissed = true };
            await using (var before = JobHarness.Create(job, dir: dir))
            {
                await before.StartAsync();
                await before.NextRunIsAsync(T0.AddMinutes(10));
                await beforeTheRestart(before);
            }

            await using var after = JobHarness.Create(job, start: T0.AddHours(2).AddMinutes(5), dir: dir);
            await after.StartAsync();
            await afterTheRestart(after);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>The cadence goes on from the first start (09:00, 09:10, ...); nothing is caught up.</summary>
    private static async Task OwesNothingAsync(JobHarness after)
    {
        await after.NextRunIsAsync(T0.AddHours(2).AddMinutes(10));
        Assert.Empty(after.History);
        Assert.DoesNotContain(after.Log.Lines, l => l.Contains("missed", StringComparison.Ordinal));
    }
}
