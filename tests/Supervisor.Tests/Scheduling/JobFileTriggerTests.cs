using Xunit;
using Supervisor.Core.Config;
using Supervisor.Core.Scheduling;
using Supervisor.Core.Supervision;
using Supervisor.Tests.TestSupport;

namespace Supervisor.Tests.Scheduling;

/// <summary>on_file at the job owner: one run per stable file, $SUP_FILE and last argument, move_to on success only, concurrency.</summary>
public sealed class JobFileTriggerTests
{
    private static JobSpec OnFile(string dir, bool moveTo = true, int concurrency = 1) => new()
    {
        OnFile = new OnFileSpec(Path.Combine(dir, "Inbox"), "*.md", moveTo ? Path.Combine(dir, "Done") : null),
        Concurrency = concurrency,
    };

    private static JobHarness Create(Func<string, JobSpec> job, string script)
    {
        var dir = JobHarness.NewDir();
        Directory.CreateDirectory(Path.Combine(dir, "Inbox"));
        return JobHarness.Create(job(dir), script, dir: dir);
    }

    /// <summary>Polls until <paramref name="done"/>: each poll is one tick of the watcher's clock.</summary>
    private static async Task PollUntilAsync(JobHarness h, Func<bool> done, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!done())
        {
            if (DateTime.UtcNow > deadline) throw new Xunit.Sdk.XunitException($"Timed out waiting for {what}.");
            if (h.Time.PendingTimers > 0) h.Time.Advance(FileDropWatcher.PollInterval);
            else await Task.Delay(10);
        }
    }

    [Fact]
    public async Task A_file_present_at_start_runs_once_with_its_path_and_moves_to_done_after_success()
    {
        await using var h = Create(d => OnFile(d), "echo \"file=$SUP_FILE last=$1\"");
        var note = h.PathOf("Inbox/note.md");
        File.WriteAllText(note, "hello\n");
        File.WriteAllText(h.PathOf("Inbox/ignored.txt"), "not markdown\n");
        await h.StartAsync();

        // The run is counted a moment before the job settles back to scheduled: wait for both.
        await PollUntilAsync(h, () => h.Job.Counters().Runs == 1 && h.Job.Snapshot().Status == AppStatus.Scheduled, "one run");

        var run = Assert.Single(h.History);
        Assert.Equal("file", run.Trigger);
        Assert.Equal(note, run.File);
        Assert.Contains($"file={note} last={note}", h.OutLog);
        Assert.False(File.Exists(note));
        Assert.True(File.Exists(h.PathOf("Done/note.md")));
        Assert.True(File.Exists(h.PathOf("Inbox/ignored.txt")));
        Assert.Equal(AppStatus.Scheduled, h.Job.Snapshot().Status);
    }

    [Fact]
    public async Task A_failed_file_stays_and_is_not_run_again_until_it_changes()
    {
        await using var h = Create(d => OnFile(d), "grep -q ready \"$1\"");
        var note = h.PathOf("Inbox/note.md");
        File.WriteAllText(note, "draft\n");
        await h.StartAsync();

        await PollUntilAsync(h, () => h.Job.Counters().Runs == 1, "the first run");
        for (var i = 0; i < 6; i++)
        {
            await h.TimersAsync();
            h.Time.Advance(FileDropWatcher.PollInterval);
        }
        // The watcher starts a run before it waits for its next poll: none was started.
        await h.TimersAsync();
        Assert.Single(h.Job.Snapshot().History, c => c.To == AppStatus.Running);
        Assert.Equal(1, h.Job.Counters().Runs);
        Assert.True(File.Exists(note));
        Assert.False(Directory.Exists(h.PathOf("Done")));

        File.AppendAllText(note, "ready\n");
        await PollUntilAsync(h, () => h.Job.Counters().Runs == 2, "a run of the changed file");

        Assert.Equal([1, 0], h.History.Select(r => r.ExitCode));
        Assert.True(File.Exists(h.PathOf("Done/note.md")));
    }

    [Fact]
    public async Task A_file_whose_run_is_still_going_is_not_run_again_after_disable_and_enable()
    {
        await using var h = Create(d => OnFile(d, concurrency: 2), "while [ ! -f go ]; do sleep 0.02; done");
        File.WriteAllText(h.PathOf("Inbox/note.md"), "x\n");
        await h.StartAsync();
        await PollUntilAsync(h, () => h.Job.Snapshot().Status == AppStatus.Running, "the run");

        await h.Job.SetEnabledAsync(false, CancellationToken.None);
        await h.Job.SetEnabledAsync(true, CancellationToken.None);
        for (var poll = 0; poll < 3; poll++)
        {
            await h.TimersAsync();
            h.Time.Advance(FileDropWatcher.PollInterval);
        }
        await h.TimersAsync(); // the new watcher offered the file and went on polling

        Assert.Single(h.Job.Snapshot().History, c => c.Reason == "file note.md");
        File.WriteAllText(h.PathOf("go"), "");
        Assert.Equal("ok", Assert.Single(await h.RunsAsync(1)).Result);
        Assert.True(File.Exists(h.PathOf("Done/note.md")));
    }

    [Fact]
    public async Task With_concurrency_one_files_run_one_after_the_other_in_name_order()
    {
        await using var h = Create(d => OnFile(d, concurrency: 1),
            "name=$(basename \"$1\"); echo \"start $name\" >> trace; while [ ! -f \"$1.go\" ]; do sleep 0.02; done; echo \"end $name\" >> trace");
        File.WriteAllText(h.PathOf("Inbox/a.md"), "a\n");
        File.WriteAllText(h.PathOf("Inbox/b.md"), "b\n");
        await h.StartAsync();

        await PollUntilAsync(h, () => File.Exists(h.PathOf("trace")), "the first run");
        await Eventually.ValueAsync(() => Task.FromResult(h.Job.Snapshot().Status), s => s == AppStatus.Running, TimeSpan.FromSeconds(5), "running");
        File.WriteAllText(h.PathOf("Inbox/a.md.go"), "");
        await Eventually.ValueAsync(() => Task.FromResult(File.ReadAllLines(h.PathOf("trace")).Length), n => n == 3, TimeSpan.FromSeconds(10), "b started");
        File.WriteAllText(h.PathOf("Inbox/b.md.go"), "");
        await h.RunsAsync(2);

        Assert.Equal(["start a.md", "end a.md", "start b.md", "end b.md"], File.ReadAllLines(h.PathOf("trace")));
    }

    [Fact]
    public async Task With_concurrency_two_two_files_run_at_the_same_time()
    {
        await using var h = Create(d => OnFile(d, concurrency: 2),
            "name=$(basename \"$1\"); echo \"start $name\" >> trace; while [ ! -f go ]; do sleep 0.02; done");
        File.WriteAllText(h.PathOf("Inbox/a.md"), "a\n");
        File.WriteAllText(h.PathOf("Inbox/b.md"), "b\n");
        await h.StartAsync();

        await PollUntilAsync(h, () => File.Exists(h.PathOf("trace")) && File.ReadAllLines(h.PathOf("trace")).Length == 2, "two runs at once");
        File.WriteAllText(h.PathOf("go"), "");

        var runs = await h.RunsAsync(2);
        Assert.Equal(2, runs.Count);
        Assert.Equal(0, h.Job.Counters().Failures);
    }
}
