using Supervisor.Core.Config;
using Supervisor.Core.Supervision;
using Xunit;

namespace Supervisor.Tests.Scheduling;

/// <summary>`sup pause` / `sup resume` as one job sees them: held schedule, persisted, nothing owed.</summary>
public sealed class JobPauseTests
{
    private static readonly DateTimeOffset T0 = JobHarness.DefaultStart;

    [Fact]
    public async Task A_paused_job_does_not_run_at_its_due_time_and_resumes_its_cadence()
    {
        await using var h = JobHarness.Create(new JobSpec { Every = TimeSpan.FromMinutes(10), RunMissed = true });
        await h.StartAsync();
        await h.NextRunIsAsync(T0.AddMinutes(10));

        h.Context.Pause!.PauseAll();
        await h.Job.ApplyPauseAsync(CancellationToken.None);
        await h.StatusIsAsync(AppStatus.Paused);
        Assert.Null(h.Job.Snapshot().NextRun);
        h.Time.Advance(TimeSpan.FromMinutes(25));
        Assert.Empty(h.History);

        h.Context.Pause.ResumeAll();
        await h.Job.ApplyPauseAsync(CancellationToken.None);

        // Nothing owed for 09:10 and 09:20, even with run_missed; the anchor stays at 09:00.
        await h.NextRunIsAsync(T0.AddMinutes(30));
        Assert.Equal(AppStatus.Scheduled, h.Job.Snapshot().Status);
        await h.AdvanceToAsync(T0.AddMinutes(30));
        Assert.Equal("every", Assert.Single(await h.RunsAsync(1)).Trigger);
    }

    [Fact]
    public async Task A_run_under_way_finishes_and_the_job_then_rests_paused()
    {
        await using var h = JobHarness.Create(new JobSpec { Every = TimeSpan.FromHours(1) },
            script: "while [ ! -e go ]; do sleep 0.05; done; echo done");
        await h.StartAsync();
        await h.Job.RunNowAsync(CancellationToken.None);
        await h.StatusIsAsync(AppStatus.Running);

        h.Context.Pause!.Pause(["job"]);
        await h.Job.ApplyPauseAsync(CancellationToken.None);
        Assert.Equal(AppStatus.Running, h.Job.Snapshot().Status);
        File.WriteAllText(h.PathOf("go"), "");

        var run = Assert.Single(await h.RunsAsync(1));
        Assert.Equal("ok", run.Result);
        await h.StatusIsAsync(AppStatus.Paused);
        Assert.Contains("done", h.OutLog);
    }

    [Fact]
    public async Task A_pause_survives_a_daemon_restart_and_owes_no_missed_run()
    {
        var dir = JobHarness.NewDir();
        try
        {
            var job = new JobSpec { Every = TimeSpan.FromMinutes(10), RunMissed = true };
            await using (var before = JobHarness.Create(job, dir: dir))
            {
                await before.StartAsync();
                await before.NextRunIsAsync(T0.AddMinutes(10));
                before.Context.Pause!.PauseAll();
                await before.Job.ApplyPauseAsync(CancellationToken.None);
                await before.StatusIsAsync(AppStatus.Paused);
            }

            await using var after = JobHarness.Create(job, start: T0.AddHours(2).AddMinutes(5), dir: dir);
            await after.StartAsync();
            await after.StatusIsAsync(AppStatus.Paused);
            Assert.True(after.Job.Paused);

            after.Context.Pause!.ResumeAll();
            await after.Job.ApplyPauseAsync(CancellationToken.None);
            // 11:10 is the next slot of the 09:00 anchor; the slots slept through are not caught up.
            await after.NextRunIsAsync(T0.AddHours(2).AddMinutes(10));
            Assert.Empty(after.History);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task Resuming_one_job_while_all_are_paused_is_refused()
    {
        await using var h = JobHarness.Create(new JobSpec { Every = TimeSpan.FromMinutes(10) });
        h.Context.Pause!.PauseAll();

        var error = Assert.Throws<Supervisor.Core.SupException>(() => h.Context.Pause.Resume(["job"]));

        Assert.Equal(Supervisor.Core.SupError.Conflict, error.Error);
        Assert.Contains("`sup resume`", error.Message);
    }
}
