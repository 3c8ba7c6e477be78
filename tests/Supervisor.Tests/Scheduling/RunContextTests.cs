using Supervisor.Core.Config;
using Supervisor.Core.Scheduling;
using Supervisor.Core.Supervision;
using Xunit;

namespace Supervisor.Tests.Scheduling;

/// <summary>SUP_RUN_ID, SUP_TRIGGER, SUP_SCHEDULED_AT, SUP_ATTEMPT: in the run's env, its args, history and log.</summary>
public sealed class RunContextTests
{
    private static readonly DateTimeOffset T0 = JobHarness.DefaultStart;

    [Fact]
    public void Run_ids_are_the_job_and_its_start_second_and_stay_unique_within_one_second()
    {
        var ids = new RunIds("backup");
        var at = new DateTimeOffset(2026, 12, 3, 9, 0, 0, TimeSpan.FromHours(1));

        Assert.Equal("backup-20261203-090000", ids.Next(at));
        Assert.Equal("backup-20261203-090000-2", ids.Next(at.AddMilliseconds(300)));
        Assert.Equal("backup-20261203-090000-3", ids.Next(at.AddMilliseconds(900)));
        Assert.Equal("backup-20261203-090001", ids.Next(at.AddSeconds(1)));
    }

    [Theory]
    [InlineData("backup-20261203-090000", "backup-20261203-090000-2")]
    [InlineData("backup-20261203-090000-4", "backup-20261203-090000-5")]
    [InlineData("backup-20261203-085959", "backup-20261203-090000")]
    public void A_restarted_daemon_continues_from_the_last_id_in_the_history(string last, string next)
    {
        var ids = new RunIds("backup", last);

        Assert.Equal(next, ids.Next(new DateTimeOffset(2026, 12, 3, 9, 0, 0, TimeSpan.Zero)));
    }

    [Fact]
    public void A_job_whose_name_ends_in_digits_is_not_taken_for_a_suffix()
    {
        var ids = new RunIds("job-2", "job-2-20261203-090000");

        Assert.Equal("job-2-20261203-090000-2", ids.Next(new DateTimeOffset(2026, 12, 3, 9, 0, 0, TimeSpan.Zero)));
    }

    [Fact]
    public void Only_the_run_variables_are_replaced_in_args_and_env()
    {
        var run = new RunContext("j-20261203-090000", "cron", new DateTimeOffset(2026, 12, 3, 9, 0, 0, TimeSpan.FromHours(1)), 2);
        var command = new ChildCommand("/bin/app", ["--id=${SUP_RUN_ID}", "${HOME}", "${SUP_NOPE}"], "/",
            new Dictionary<string, string> { ["OUT"] = "/data/${SUP_RUN_ID}-${SUP_ATTEMPT}.json", ["KEEP"] = "$SUP_RUN_ID" });

        var applied = run.ApplyTo(command, substituteArguments: true);

        Assert.Equal(["--id=j-20261203-090000", "${HOME}", "${SUP_NOPE}"], applied.Arguments);
        Assert.Equal("/data/j-20261203-090000-2.json", applied.Environment["OUT"]);
        Assert.Equal("$SUP_RUN_ID", applied.Environment["KEEP"]);
        Assert.Equal("2026-12-03T09:00:00+01:00", applied.Environment["SUP_SCHEDULED_AT"]);
        Assert.Equal("cron", applied.Environment["SUP_TRIGGER"]);
        Assert.Equal("2", applied.Environment["SUP_ATTEMPT"]);
    }

    [Fact]
    public async Task A_scheduled_run_sees_its_context_in_env_args_history_and_log()
    {
        await using var h = JobHarness.Create(new JobSpec { Every = TimeSpan.FromMinutes(10) },
            script: "echo \"env=$SUP_RUN_ID $SUP_TRIGGER $SUP_SCHEDULED_AT $SUP_ATTEMPT arg=$1 out=$OUTV\"",
            adjust: s => s with
            {
                Arguments = [.. s.Arguments, "${SUP_RUN_ID}"],
                Env = new Dictionary<string, string> { ["OUTV"] = "x-${SUP_ATTEMPT}" },
            });
        await h.StartAsync();
        await h.AdvanceToAsync(T0.AddMinutes(10));

        var run = Assert.Single(await h.RunsAsync(1));
        Assert.Equal("job-20261122-091000", run.RunId);
        Assert.Contains("--- sup run job-20261122-091000 (every, attempt 1, scheduled 2026-11-22T09:10:00+00:00) ---\n"
            + "env=job-20261122-091000 every 2026-11-22T09:10:00+00:00 1 arg=job-20261122-091000 out=x-1\n", h.OutLog);
    }

    [Fact]
    public async Task Retries_share_the_run_id_and_count_their_attempt()
    {
        await using var h = JobHarness.Create(
            new JobSpec { Every = TimeSpan.FromHours(1), Retry = new RetrySpec(1, TimeSpan.FromSeconds(10), 1) },
            script: "echo \"$SUP_RUN_ID $SUP_TRIGGER $SUP_ATTEMPT\" >> runs.txt; exit 5");
        await h.StartAsync();
        await h.Job.RunNowAsync(CancellationToken.None);
        await h.TimerDueAsync(T0.AddSeconds(10));
        h.Time.Advance(TimeSpan.FromSeconds(10));

        var runs = await h.RunsAsync(1);
        Assert.Equal(["job-20261122-090000 manual 1", "job-20261122-090000 retry 2"], File.ReadAllLines(h.PathOf("runs.txt")));
        Assert.Equal([("job-20261122-090000", "manual", 1), ("job-20261122-090000", "retry", 2)],
            runs.Select(r => (r.RunId, r.Trigger, r.Attempt)));
    }

    [Fact]
    public async Task Two_runs_in_the_same_second_get_different_ids()
    {
        await using var h = JobHarness.Create(new JobSpec { Every = TimeSpan.FromHours(1) }, script: "echo \"$SUP_RUN_ID\" >> ids.txt");
        await h.StartAsync();

        await h.Job.RunNowAsync(CancellationToken.None);
        await h.RunsAsync(1);
        await h.StatusIsAsync(AppStatus.Scheduled);
        await h.Job.RunNowAsync(CancellationToken.None);
        await h.RunsAsync(2);

        Assert.Equal(["job-20261122-090000", "job-20261122-090000-2"], File.ReadAllLines(h.PathOf("ids.txt")));
    }

    [Fact]
    public async Task A_failed_run_keeps_the_first_line_it_wrote_to_stderr_as_its_last_error()
    {
        await using var h = JobHarness.Create(new JobSpec { Every = TimeSpan.FromHours(1) },
            script: "echo progress; echo 'news_scan: feed timed out' >&2; echo 'second line' >&2; exit 3");
        await h.StartAsync();

        await h.Job.RunNowAsync(CancellationToken.None);
        await h.RunsAsync(1);

        Assert.Equal("news_scan: feed timed out", h.Job.LastErrorOutput());
        Assert.Equal("run failed with exit code 3", h.Job.Counters().LastError);
    }

    [Fact]
    public async Task The_events_of_a_run_carry_its_run_id()
    {
        await using var h = JobHarness.Create(new JobSpec { Every = TimeSpan.FromHours(1) }, script: "exit 1");
        await h.StartAsync();

        await h.Job.RunNowAsync(CancellationToken.None);
        await h.RunsAsync(1);

        var events = await TestSupport.Eventually.ValueAsync(() => Task.FromResult(h.Context.Events!.Recent()),
            e => e.Any(x => x.Kind == Supervisor.Core.Events.EventKind.Failed), TimeSpan.FromSeconds(10), "a failed event");
        var started = events.Single(e => e.Kind == Supervisor.Core.Events.EventKind.Started);
        var failed = events.Single(e => e.Kind == Supervisor.Core.Events.EventKind.Failed);
        Assert.Equal("job-20261122-090000", started.RunId);
        Assert.Equal("job-20261122-090000", failed.RunId);
        Assert.Equal("job-20261122-090000", Supervisor.Core.Daemon.DaemonMethods.ToInfo(failed).RunId);
    }

    [Fact]
    public void A_runs_variables_read_back_from_its_environment_give_the_same_run()
    {
        var run = new RunContext("backup-20261203-090000-2", "retry", new DateTimeOffset(2026, 12, 3, 9, 0, 0, TimeSpan.FromHours(1)), Attempt: 3);

        Assert.Equal(run, RunContext.FromVariables(run.Variables));
    }

    [Theory]
    [InlineData("SUP_RUN_ID")]
    [InlineData("SUP_TRIGGER")]
    [InlineData("SUP_SCHEDULED_AT")]
    [InlineData("SUP_ATTEMPT")]
    public void An_environment_missing_a_run_variable_or_with_one_sup_did_not_write_is_no_run(string variable)
    {
        var variables = new Dictionary<string, string>(new RunContext("backup-20261203-090000", "cron", T0, 1).Variables);
        variables.Remove(variable);
        Assert.Null(RunContext.FromVariables(variables));

        variables[variable] = variable == "SUP_RUN_ID" || variable == "SUP_TRIGGER" ? "" : "soon";
        Assert.Null(RunContext.FromVariables(variables));
    }
}
