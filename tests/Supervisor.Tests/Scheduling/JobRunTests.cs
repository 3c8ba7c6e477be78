using Xunit;
using Supervisor.Core;
using Supervisor.Core.Config;
using Supervisor.Core.Supervision;
using Supervisor.Tests.TestSupport;

namespace Supervisor.Tests.Scheduling;

/// <summary>Runs at the job owner: overlap, steps, retries, stop, statuses, manual runs, history and its bound.</summary>
public sealed class JobRunTests
{
    private static readonly DateTimeOffset T0 = JobHarness.DefaultStart;

    /// <summary>A script that runs until the test creates the file <paramref name="gate"/>.</summary>
    private static string UntilExists(string gate) => $"while [ ! -f {gate} ]; do sleep 0.02; done";

    [Fact]
    public async Task A_job_still_running_when_it_falls_due_again_is_not_started_twice_and_the_skip_is_counted()
    {
        await using var h = JobHarness.Create(new JobSpec { Every = TimeSpan.FromMinutes(1) }, UntilExists("gate"));
        await h.StartAsync();
        await h.AdvanceToAsync(T0.AddMinutes(1));
        await h.StatusIsAsync(AppStatus.Running);

        await h.NextRunIsAsync(T0.AddMinutes(2));
        await h.AdvanceToAsync(T0.AddMinutes(2));
        await Eventually.ValueAsync(() => Task.FromResult(h.Job.Counters().Skipped), n => n == 1, TimeSpan.FromSeconds(10), "one skipped run");

        Assert.True(await Eventually.TrueAsync(() => Task.FromResult(h.Log.Contains("was skipped: the run started")), TimeSpan.FromSeconds(10)));
        Assert.Equal(AppStatus.Running, h.Job.Snapshot().Status);
        File.WriteAllText(h.PathOf("gate"), "");
        var run = Assert.Single(await h.RunsAsync(1));
        Assert.Equal(T0.AddMinutes(1), DateTimeOffset.Parse(run.Start));
        await h.StatusIsAsync(AppStatus.Scheduled);
        await h.NextRunIsAsync(T0.AddMinutes(3));
    }

    [Fact]
    public async Task Steps_run_in_order_and_stop_at_the_first_failure()
    {
        await using var h = JobHarness.Create(new JobSpec
        {
            Every = TimeSpan.FromHours(1),
            Steps = ["echo get >> trace", "echo process >> trace; exit 4", "echo push >> trace"],
        });

        await h.Job.RunNowAsync(CancellationToken.None);

        var run = Assert.Single(await h.RunsAsync(1));
        Assert.Equal(["get", "process"], File.ReadAllLines(h.PathOf("trace")));
        Assert.Equal(4, run.ExitCode);
        Assert.Equal("manual", run.Trigger);
        Assert.StartsWith("step 2 (echo process >> trace; exit 4) failed with exit code 4", run.Result);
        var counters = h.Job.Counters();
        Assert.Equal((1, 1), (counters.Runs, counters.Failures));
        Assert.Equal(run.Result, counters.LastError);
    }

    [Fact]
    public async Task A_failed_run_is_retried_after_delay_times_multiplier_and_every_attempt_is_recorded()
    {
        await using var h = JobHarness.Create(
            new JobSpec { Every = TimeSpan.FromHours(1), Retry = new RetrySpec(3, TimeSpan.FromSeconds(10), 3) }, "exit 7");

        await h.Job.RunNowAsync(CancellationToken.None);
        // Each retry waits delay * multiplier^(n-1) from the end of the failed attempt: 10s, 30s, 90s.
        foreach (var retryAt in new[] { T0.AddSeconds(10), T0.AddSeconds(40), T0.AddSeconds(130) })
        {
            await h.TimerDueAsync(retryAt);
            h.Time.Advance(retryAt - h.Now);
        }

        var runs = await h.RunsAsync(1);
        Assert.Equal(["manual", "retry", "retry", "retry"], runs.Select(r => r.Trigger));
        Assert.Equal([1, 2, 3, 4], runs.Select(r => r.Attempt));
        Assert.All(runs, r => Assert.Equal(7, r.ExitCode));
        Assert.Equal([T0, T0.AddSeconds(10), T0.AddSeconds(40), T0.AddSeconds(130)], runs.Select(r => DateTimeOffset.Parse(r.Start)));
        var counters = h.Job.Counters();
        Assert.Equal((1, 1), (counters.Runs, counters.Failures));
    }

    [Fact]
    public async Task A_retry_stops_at_the_first_success()
    {
        await using var h = JobHarness.Create(
            new JobSpec { Every = TimeSpan.FromHours(1), Retry = new RetrySpec(5, TimeSpan.FromSeconds(1), 1) },
            "echo x >> count; [ $(wc -l < count) -ge 2 ]");

        await h.Job.RunNowAsync(CancellationToken.None);
        await h.TimerDueAsync(T0.AddSeconds(1));
        h.Time.Advance(TimeSpan.FromSeconds(1));

        var runs = await h.RunsAsync(1);
        Assert.Equal([1, 0], runs.Select(r => r.ExitCode));
        Assert.Equal((1, 0, null), (h.Job.Counters().Runs, h.Job.Counters().Failures, h.Job.Counters().LastError));
    }

    [Fact]
    public async Task A_missing_script_is_a_recorded_failure()
    {
        await using var h = JobHarness.Create(new JobSpec { Every = TimeSpan.FromHours(1) },
            adjust: s => s with { FileName = "/nonexistent/job-script" });

        await h.Job.RunNowAsync(CancellationToken.None);

        var run = Assert.Single(await h.RunsAsync(1));
        Assert.Equal(127, run.ExitCode); // as a shell reports a command it cannot run
        Assert.Equal(1, h.Job.Counters().Failures);
        Assert.Equal(AppStatus.Stopped, h.Job.Snapshot().Status);
    }

    [Fact]
    public async Task Stop_during_a_run_kills_the_whole_tree_records_a_stopped_run_and_pauses_the_schedule()
    {
        await using var h = JobHarness.Create(new JobSpec { Every = TimeSpan.FromMinutes(1) },
            "sleep 300 & echo $! >> sleepers; sleep 300 & echo $! >> sleepers; wait");
        await h.StartAsync();
        await h.AdvanceToAsync(T0.AddMinutes(1));
        var pids = await Eventually.ValueAsync(() => Task.FromResult(File.Exists(h.PathOf("sleepers")) ? File.ReadAllLines(h.PathOf("sleepers")) : []),
            l => l.Length == 2, TimeSpan.FromSeconds(10), "two sleep grandchildren");
        // Waited for, not read once: on a loaded machine the step can start its children and
        // write their pids before the supervisor's thread, back from posix_spawn, records its pid.
        var step = await Eventually.ValueAsync(() => Task.FromResult(h.Job.RootPid), p => p is not null,
            TimeSpan.FromSeconds(10), "the step's pid");

        await h.Job.StopAsync("stopped by user", CancellationToken.None);

        Assert.True(await Processes.AllGoneAsync([.. pids.Select(int.Parse), step!.Value], TimeSpan.FromSeconds(5)));
        var snapshot = h.Job.Snapshot();
        Assert.Equal(AppStatus.Stopped, snapshot.Status);
        var change = snapshot.History.Last(c => c.From != c.To);
        Assert.Equal((AppStatus.Running, AppStatus.Stopped, "run stopped: stopped by user"), (change.From, change.To, change.Reason));
        Assert.Null(snapshot.NextRun);
        Assert.Null(h.Job.RootPid);
        var run = Assert.Single(h.History);
        Assert.Equal("stopped", run.Result);
        Assert.Equal(143, run.ExitCode);
        var counters = h.Job.Counters();
        Assert.Equal((1, 0, null), (counters.Runs, counters.Failures, counters.LastError));

        h.Time.Advance(TimeSpan.FromSeconds(630));
        Assert.Single(h.History);
        Assert.Equal(AppStatus.Stopped, h.Job.Snapshot().Status);

        await h.StartAsync();
        Assert.Equal(AppStatus.Scheduled, h.Job.Snapshot().Status);
        await h.NextRunIsAsync(T0.AddMinutes(12));
    }

    [Fact]
    public async Task Disable_while_running_lets_the_run_finish_then_rests_in_disabled_and_enable_schedules_again()
    {
        await using var h = JobHarness.Create(new JobSpec { Every = TimeSpan.FromMinutes(1) }, UntilExists("gate"));
        await h.StartAsync();
        await h.AdvanceToAsync(T0.AddMinutes(1));
        await h.StatusIsAsync(AppStatus.Running);

        await h.Job.SetEnabledAsync(false, CancellationToken.None);
        Assert.Equal(AppStatus.Running, h.Job.Snapshot().Status);
        Assert.Null(h.Job.Snapshot().NextRun);
        File.WriteAllText(h.PathOf("gate"), "");
        await h.RunsAsync(1);
        await h.StatusIsAsync(AppStatus.Disabled);
        Assert.Equal("ok", Assert.Single(h.History).Result);

        await h.Job.SetEnabledAsync(true, CancellationToken.None);
        Assert.Equal(AppStatus.Scheduled, h.Job.Snapshot().Status);
        await h.NextRunIsAsync(T0.AddMinutes(2));
        Assert.True(h.Store.Read(s => s.Jobs["job"].Enabled));
    }

    [Fact]
    public async Task Enabled_false_in_the_file_starts_disabled_and_a_changed_file_overrides_the_switch()
    {
        var spec = new JobSpec { Every = TimeSpan.FromMinutes(1), Enabled = false };
        await using var h = JobHarness.Create(spec);
        await h.StartAsync();
        Assert.Equal(AppStatus.Disabled, h.Job.Snapshot().Status);
        await h.Job.SetEnabledAsync(true, CancellationToken.None);
        Assert.Equal(AppStatus.Scheduled, h.Job.Snapshot().Status);

        // Same file loaded again: the user's switch stays.
        await h.Job.UpdateAsync(h.Job.Spec with { Job = spec with { Every = TimeSpan.FromMinutes(2) } }, "config changed", CancellationToken.None);
        Assert.Equal(AppStatus.Scheduled, h.Job.Snapshot().Status);
        // The file now says enabled: true, then false again: each edit applies.
        await h.Job.UpdateAsync(h.Job.Spec with { Job = spec with { Enabled = true } }, "config changed", CancellationToken.None);
        await h.Job.UpdateAsync(h.Job.Spec with { Job = spec }, "config changed", CancellationToken.None);

        Assert.Equal(AppStatus.Disabled, h.Job.Snapshot().Status);
        Assert.False(h.Job.Enabled);
    }

    [Fact]
    public async Task A_manual_run_works_on_a_disabled_job_and_a_second_one_is_refused_while_it_runs()
    {
        await using var h = JobHarness.Create(new JobSpec { Every = TimeSpan.FromMinutes(1), Enabled = false }, UntilExists("gate"));
        await h.StartAsync();
        Assert.Equal(AppStatus.Disabled, h.Job.Snapshot().Status);

        await h.Job.RunNowAsync(CancellationToken.None);
        var second = await Assert.ThrowsAsync<SupException>(() => h.Job.RunNowAsync(CancellationToken.None));

        Assert.Equal(SupError.Conflict, second.Error);
        Assert.Contains("already running", second.Message);
        Assert.Equal(AppStatus.Running, h.Job.Snapshot().Status);
        File.WriteAllText(h.PathOf("gate"), "");
        Assert.Equal("manual", Assert.Single(await h.RunsAsync(1)).Trigger);
        await h.StatusIsAsync(AppStatus.Disabled);
    }

    [Fact]
    public async Task History_keeps_the_last_100_attempts()
    {
        var seeded = string.Join(",\n", Enumerable.Range(1, 100).Select(i =>
            $$"""{ "job": "job", "start": "{{T0.AddDays(-1).AddMinutes(i):O}}", "trigger": "every", "result": "ok", "exit_code": 0, "attempt": 1 }"""));
        await using var h = JobHarness.Create(new JobSpec { Every = TimeSpan.FromHours(1) },
            stateJson: $$"""{ "jobs": { "job": { "run_count": 100, "history": [ {{seeded}} ] } } }""");

        await h.Job.RunNowAsync(CancellationToken.None);
        await h.RunsAsync(101);

        var history = h.History;
        Assert.Equal(100, history.Count);
        Assert.Equal(T0.AddDays(-1).AddMinutes(2), DateTimeOffset.Parse(history[0].Start));
        Assert.Equal("manual", history[^1].Trigger);
    }

    [Fact]
    public async Task Runs_and_the_enabled_switch_are_in_state_json_for_the_next_daemon()
    {
        var dir = JobHarness.NewDir();
        try
        {
            var job = new JobSpec { Every = TimeSpan.FromHours(1) };
            await using (var before = JobHarness.Create(job, "echo hi", dir: dir))
            {
                await before.StartAsync();
                await before.Job.RunNowAsync(CancellationToken.None);
                await before.RunsAsync(1);
                await before.Job.SetEnabledAsync(false, CancellationToken.None);
            }

            await using var after = JobHarness.Create(job, dir: dir);
            await after.StartAsync();

            var snapshot = after.Job.Snapshot();
            Assert.Equal(AppStatus.Disabled, snapshot.Status);
            Assert.False(snapshot.Enabled);
            Assert.Equal(1, snapshot.RunCount);
            Assert.Equal("ok", snapshot.LastResult);
            Assert.Equal(T0, snapshot.LastRunAt);
            Assert.Equal("manual", Assert.Single(after.History).Trigger);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
