using Xunit;
using System.Text.Json;
using Supervisor.Tests.TestSupport;

namespace Supervisor.Tests.EndToEnd;

/// <summary>Jobs with real processes and short durations: the wiring of triggers, steps, retries and state.</summary>
public sealed class JobSpecs : IAsyncLifetime
{
    private readonly SupHome _sup = SupHome.Create();

    public Task InitializeAsync() => Task.CompletedTask;
    public async Task DisposeAsync() => await _sup.DisposeAsync();

    private string Ecosystem(string body) => _sup.WriteFile("ecosystem.yaml", body);

    private async Task<JsonElement[]> HistoryAsync(string job)
    {
        var result = await _sup.OkAsync("history", job, "--json", "--limit", "100");
        return JsonDocument.Parse(result.Stdout).RootElement.EnumerateArray().Select(e => e.Clone()).ToArray();
    }

    [Fact]
    public async Task A_job_every_second_runs_again_and_again_and_shows_its_next_run()
    {
        _sup.WriteFile("tick.sh", "#!/bin/sh\necho tick\n");
        await _sup.OkAsync("start", Ecosystem("apps:\n  - name: tick\n    script: ./tick.sh\n    every: 1s\n"));

        var runs = await Eventually.ValueAsync(() => HistoryAsync("tick"), h => h.Length >= 3, TimeSpan.FromSeconds(20), "3 runs");

        Assert.All(runs, r => Assert.Equal("every", r.GetProperty("trigger").GetString()));
        Assert.All(runs, r => Assert.Equal(0, r.GetProperty("exit_code").GetInt32()));
        var app = await _sup.AppAsync("tick");
        Assert.Equal("job", app.GetProperty("kind").GetString());
        Assert.NotEqual(JsonValueKind.Null, app.GetProperty("next_run").ValueKind);
        Assert.Contains("tick", _sup.ReadLog("tick"));
        Assert.Contains("every 1s", (await _sup.OkAsync("jobs", "--wide")).Stdout);
    }

    [Fact]
    public async Task Steps_run_in_order_and_stop_at_the_first_failure()
    {
        var trace = Path.Combine(_sup.Apps, "trace.txt");
        await _sup.OkAsync("start", Ecosystem($"""
            apps:
              - name: pipeline
                every: 1h
                steps:
                  - echo get >> {trace}
                  - echo process >> {trace} && exit 4
                  - echo push >> {trace}
            """));

        await _sup.OkAsync("run", "pipeline");

        var run = (await Eventually.ValueAsync(() => HistoryAsync("pipeline"), h => h.Length >= 1, TimeSpan.FromSeconds(15), "a run")).Single();
        Assert.Equal(["get", "process"], File.ReadAllLines(trace));
        Assert.Equal(4, run.GetProperty("exit_code").GetInt32());
        Assert.Equal("manual", run.GetProperty("trigger").GetString());
        Assert.Contains("step 2", run.GetProperty("result").GetString());
    }

    [Fact]
    public async Task A_failed_run_is_retried_and_every_attempt_is_in_the_history()
    {
        var counter = Path.Combine(_sup.Apps, "count.txt");
        _sup.WriteFile("flaky.sh", $"#!/bin/sh\necho x >> {counter}\n[ $(wc -l < {counter}) -ge 3 ]\n");
        await _sup.OkAsync("start", Ecosystem("""
            apps:
              - name: flaky
                script: ./flaky.sh
                every: 1h
                retry: { attempts: 3, delay: 100ms, multiplier: 2 }
            """));

        await _sup.OkAsync("run", "flaky");

        var runs = await Eventually.ValueAsync(() => HistoryAsync("flaky"),
            h => h.Any(r => r.GetProperty("exit_code").GetInt32() == 0), TimeSpan.FromSeconds(15), "a successful attempt");
        Assert.Equal(["manual", "retry", "retry"], runs.Select(r => r.GetProperty("trigger").GetString()));
        Assert.Equal([1, 1, 0], runs.Select(r => r.GetProperty("exit_code").GetInt32()));
    }

    [Fact]
    public async Task A_dropped_file_triggers_one_run_and_moves_to_done()
    {
        _sup.WriteFile("handle.sh", "#!/bin/sh\necho \"handled $SUP_FILE last=$1\"\n");
        Directory.CreateDirectory(Path.Combine(_sup.Apps, "Inbox"));
        await _sup.OkAsync("start", Ecosystem("""
            apps:
              - name: inbox
                script: ./handle.sh
                on_file: { path: ./Inbox, pattern: "*.md", move_to: ./Done }
            """));

        var dropped = Path.Combine(_sup.Apps, "Inbox", "note.md");
        File.WriteAllText(dropped, "hello\n");
        File.WriteAllText(Path.Combine(_sup.Apps, "Inbox", "ignored.txt"), "not markdown\n");

        Assert.True(await Eventually.TrueAsync(() => Task.FromResult(File.Exists(Path.Combine(_sup.Apps, "Done", "note.md"))), TimeSpan.FromSeconds(15)));
        Assert.False(File.Exists(dropped));
        Assert.Contains($"handled {dropped} last={dropped}", _sup.ReadLog("inbox"));
        var run = Assert.Single(await HistoryAsync("inbox"));
        Assert.Equal("file", run.GetProperty("trigger").GetString());
        Assert.True(File.Exists(Path.Combine(_sup.Apps, "Inbox", "ignored.txt")));
    }

    [Fact]
    public async Task History_and_the_enabled_switch_survive_a_daemon_restart()
    {
        _sup.WriteFile("tick.sh", "#!/bin/sh\necho tick\n");
        var file = Ecosystem("apps:\n  - name: tick\n    script: ./tick.sh\n    every: 1h\n");
        await _sup.OkAsync("start", file);
        await _sup.OkAsync("run", "tick");
        await Eventually.ValueAsync(() => HistoryAsync("tick"), h => h.Length == 1, TimeSpan.FromSeconds(15), "a run");

        await _sup.OkAsync("disable", "tick");
        Assert.Equal("disabled", (await _sup.AppAsync("tick")).GetProperty("status").GetString());
        await _sup.OkAsync("kill");
        await _sup.OkAsync("start", file);

        var app = await _sup.AppAsync("tick");
        Assert.Equal("disabled", app.GetProperty("status").GetString());
        Assert.False(app.GetProperty("enabled").GetBoolean());
        Assert.Equal(JsonValueKind.Null, app.GetProperty("next_run").ValueKind);
        var run = Assert.Single(await HistoryAsync("tick"));
        Assert.Equal(("manual", 0, "ok"), (run.GetProperty("trigger").GetString(), run.GetProperty("exit_code").GetInt32(), run.GetProperty("result").GetString()));
        var table = (await _sup.OkAsync("jobs", "--wide")).Stdout;
        // "ran now" under a second after the run: the native sup gets here that fast.
        Assert.Matches(@"tick +every 1h +disabled +no +ran (now|\d+s ago), ok, \d+\.\ds +- +1\n", table);

        await _sup.OkAsync("enable", "tick");
        Assert.Equal("scheduled", (await _sup.AppAsync("tick")).GetProperty("status").GetString());
        Assert.Matches(@"tick +every 1h +scheduled +yes +ran .* +in 59m( \d+s)? +1\n", (await _sup.OkAsync("jobs", "--wide")).Stdout);
        var row = JsonDocument.Parse((await _sup.OkAsync("jobs", "--json")).Stdout).RootElement.EnumerateArray().Single();
        Assert.Equal(1, row.GetProperty("run_count").GetInt32());
        Assert.Equal("ok", row.GetProperty("last_result").GetString());
    }

    [Fact]
    public async Task Stop_during_a_run_kills_the_step_with_its_grandchildren_and_pauses_the_schedule()
    {
        var sleepers = Path.Combine(_sup.Apps, "sleepers");
        _sup.WriteFile("spawn.sh", $"#!/bin/sh\nsleep 300 & echo $! >> {sleepers}\nsleep 300 & echo $! >> {sleepers}\nwait\n");
        await _sup.OkAsync("start", Ecosystem("apps:\n  - name: spawner\n    script: ./spawn.sh\n    every: 1h\n    kill_timeout: 2s\n"));
        await _sup.OkAsync("run", "spawner");
        var pids = await Eventually.ValueAsync(() => Task.FromResult(File.Exists(sleepers) ? File.ReadAllLines(sleepers) : []),
            l => l.Length == 2, TimeSpan.FromSeconds(15), "two sleep grandchildren");
        var step = (await _sup.AppAsync("spawner")).GetProperty("pid").GetInt32();

        await _sup.OkAsync("stop", "spawner");

        Assert.True(await Processes.AllGoneAsync([.. pids.Select(int.Parse), step], TimeSpan.FromSeconds(5)));
        var app = await _sup.AppAsync("spawner");
        Assert.Equal("stopped", app.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, app.GetProperty("next_run").ValueKind);
        var run = Assert.Single(await HistoryAsync("spawner"));
        Assert.Equal("stopped", run.GetProperty("result").GetString());

        await _sup.OkAsync("restart", "spawner");
        app = await _sup.AppAsync("spawner");
        Assert.Equal("scheduled", app.GetProperty("status").GetString());
        Assert.NotEqual(JsonValueKind.Null, app.GetProperty("next_run").ValueKind);
    }

    [Fact]
    public async Task Files_already_in_the_inbox_run_one_after_the_other_with_concurrency_one()
    {
        var trace = Path.Combine(_sup.Apps, "trace.txt");
        _sup.WriteFile("slow.sh", $"#!/bin/sh\nn=$(basename \"$1\")\necho \"start $n\" >> {trace}\nsleep 0.4\necho \"end $n\" >> {trace}\n");
        _sup.WriteFile("Inbox/a.md", "a\n");
        _sup.WriteFile("Inbox/b.md", "b\n");
        await _sup.OkAsync("start", Ecosystem("""
            apps:
              - name: inbox
                script: ./slow.sh
                on_file: { path: ./Inbox, pattern: "*.md", move_to: ./Done }
                concurrency: 1
            """));

        await Eventually.ValueAsync(() => HistoryAsync("inbox"), h => h.Length == 2, TimeSpan.FromSeconds(20), "two file runs");

        Assert.Equal(["start a.md", "end a.md", "start b.md", "end b.md"], File.ReadAllLines(trace));
        Assert.True(File.Exists(Path.Combine(_sup.Apps, "Done", "a.md")));
        Assert.True(File.Exists(Path.Combine(_sup.Apps, "Done", "b.md")));
        Assert.Empty(Directory.GetFiles(Path.Combine(_sup.Apps, "Inbox")));
    }

    [Fact]
    public async Task Run_on_a_service_or_an_unknown_name_is_a_clear_error()
    {
        _sup.WriteFile("svc.sh", "#!/bin/sh\nexec sleep 300\n");
        await _sup.OkAsync("start", Ecosystem("apps:\n  - name: svc\n    script: ./svc.sh\n"));

        var service = await _sup.SupAsync("run", "svc");
        var unknown = await _sup.SupAsync("run", "nosuch");

        Assert.NotEqual(0, service.ExitCode);
        Assert.Contains("'svc' is a service, not a job", service.Stderr);
        Assert.NotEqual(0, unknown.ExitCode);
        Assert.Contains("No app named 'nosuch'", unknown.Stderr);
    }

    [Fact]
    public async Task Cron_preview_prints_iso_times_with_offset_and_rejects_bad_fields()
    {
        var ok = await _sup.OkAsync("cron", "0 9 * * MON", "--tz", "America/New_York", "--next", "2", "--from", "2026-03-01T00:00:00Z");
        var bad = await _sup.SupAsync("cron", "0 25 * * *");

        var lines = ok.Stdout.Trim().Split('\n');
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("2026-03-02T09:00:00-05:00", lines[0]);
        Assert.StartsWith("2026-03-09T09:00:00-04:00", lines[1]);
        Assert.NotEqual(0, bad.ExitCode);
        Assert.Contains("hour", bad.Stderr);
    }

    [Fact]
    public async Task Cron_preview_reads_a_time_without_offset_in_the_zone_and_refuses_what_cannot_work()
    {
        var local = await _sup.OkAsync("cron", "0 9 * * *", "--tz", "America/New_York", "--next", "1", "--from", "2026-03-08T09:30");
        var never = await _sup.SupAsync("cron", "0 0 30 2 *");
        var none = await _sup.SupAsync("cron", "0 9 * * *", "--next", "0");
        var zone = await _sup.SupAsync("cron", "0 9 * * *", "--tz", "Mars/Olympus");
        var limit = await _sup.SupAsync("history", "--limit", "0");

        Assert.StartsWith("2026-03-09T09:00:00-04:00", local.Stdout);
        Assert.Equal((2, true), (never.ExitCode, never.Stderr.Contains("never fires")));
        Assert.Equal((2, true), (none.ExitCode, none.Stderr.Contains("--next 0")));
        Assert.Equal((2, true), (zone.ExitCode, zone.Stderr.Contains("Mars/Olympus")));
        Assert.Equal((2, true), (limit.ExitCode, limit.Stderr.Contains("--limit 0")));
        Assert.All(new[] { never, none, zone, limit }, r => Assert.DoesNotContain("   at ", r.Stderr));
    }
}
