using System.Globalization;
using System.Text.Json;
using Supervisor.Tests.TestSupport;
using Xunit;

namespace Supervisor.Tests.EndToEnd;

/// <summary>
/// The cron-workflow pieces through the real CLI and daemon: a run's id in its env, history and
/// logs; `sup jobs` one line per job; pause/resume across a daemon restart; dated log files.
/// </summary>
public sealed class RunContextSpecs : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private readonly SupHome _sup = SupHome.Create();

    public Task InitializeAsync() => Task.CompletedTask;
    public async Task DisposeAsync() => await _sup.DisposeAsync();

    private string Ecosystem(string body) => _sup.WriteFile("ecosystem.yaml", body);

    private async Task<JsonElement[]> HistoryAsync(string job) =>
        JsonDocument.Parse((await _sup.OkAsync("history", job, "--json", "--limit", "100")).Stdout)
            .RootElement.EnumerateArray().Select(e => e.Clone()).ToArray();

    private async Task<JsonElement> JobRowAsync(string job) =>
        JsonDocument.Parse((await _sup.OkAsync("jobs", "--json")).Stdout)
            .RootElement.EnumerateArray().Single(e => e.GetProperty("name").GetString() == job).Clone();

    [Fact(Timeout = 120_000)]
    public async Task A_run_id_is_in_the_runs_env_and_args_its_history_and_its_log()
    {
        var seen = Path.Combine(_sup.Apps, "seen.txt");
        _sup.WriteFile("coffee.sh", $"#!/bin/sh\necho \"$SUP_RUN_ID|$SUP_TRIGGER|$SUP_SCHEDULED_AT|$SUP_ATTEMPT|$1|$SESSION\" > {seen}\necho brewing\n");
        await _sup.OkAsync("start", Ecosystem("""
            apps:
              - name: coffee
                script: ./coffee.sh
                args: ["${SUP_RUN_ID}"]
                env: { SESSION: "cron-${SUP_RUN_ID}" }
                every: 1h
            """));

        await _sup.OkAsync("run", "coffee");

        var run = (await Eventually.ValueAsync(() => HistoryAsync("coffee"), h => h.Length == 1, Patience, "a run")).Single();
        var id = run.GetProperty("run_id").GetString()!;
        Assert.Matches(@"^coffee-\d{8}-\d{6}$", id);
        var fields = File.ReadAllText(seen).TrimEnd('\n').Split('|');
        Assert.Equal(id, fields[0]);
        Assert.Equal("manual", fields[1]);
        Assert.True(DateTimeOffset.TryParseExact(fields[2], "yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture, DateTimeStyles.None, out _), fields[2]);
        Assert.Equal(["1", id, "cron-" + id], fields[3..]);

        Assert.Contains(id, (await _sup.OkAsync("history", "coffee")).Stdout);
        var logs = (await _sup.OkAsync("logs", "coffee", "--nostream", "--out")).Stdout;
        Assert.Contains($"--- sup run {id} (manual, attempt 1, scheduled {fields[2]}) ---", logs);
        Assert.Contains("brewing", logs);
        Assert.Matches(@"[✓+] coffee: ran (just now|\d+s ago), next in 59m( \d+s)? \(1 run\)\n", (await _sup.OkAsync("jobs")).Stdout);
    }

    [Fact(Timeout = 120_000)]
    public async Task Jobs_prints_a_failed_job_with_the_first_line_of_its_stderr()
    {
        _sup.WriteFile("scan.sh", "#!/bin/sh\necho scanning\necho 'feed https://example.invalid timed out' >&2\nexit 2\n");
        await _sup.OkAsync("start", Ecosystem("apps:\n  - name: news_scan\n    script: ./scan.sh\n    every: 5h\n"));

        await _sup.OkAsync("run", "news_scan");
        await Eventually.ValueAsync(() => HistoryAsync("news_scan"), h => h.Length == 1, Patience, "a run");

        Assert.Matches(@"^[✗x] news_scan: ran (just now|\d+s ago), next in 4h 59m \(1 run\)\. Last error: feed https://example\.invalid timed out\n$",
            (await _sup.OkAsync("jobs")).Stdout);
        Assert.Matches(@"news_scan +every 5h +scheduled", (await _sup.OkAsync("jobs", "--wide")).Stdout);
    }

    [Fact(Timeout = 180_000)]
    public async Task Pause_holds_every_job_but_no_service_survives_a_daemon_restart_and_resume_lets_them_run()
    {
        var ticks = Path.Combine(_sup.Apps, "ticks.txt");
        _sup.WriteFile("tick.sh", $"#!/bin/sh\necho tick >> {ticks}\n");
        _sup.WriteFile("serve.sh", "#!/bin/sh\nexec sleep 600\n");
        var file = Ecosystem("""
            apps:
              - name: tick
                script: ./tick.sh
                every: 1s
              - name: web
                script: ./serve.sh
            """);
        await _sup.OkAsync("start", file);
        await Eventually.ValueAsync(() => HistoryAsync("tick"), h => h.Length >= 1, Patience, "a first tick");

        var paused = await _sup.OkAsync("pause");
        Assert.Contains("paused   tick", paused.Stdout);
        await Eventually.ValueAsync(() => _sup.AppAsync("tick"), a => a.GetProperty("status").GetString() == "paused", Patience, "tick paused");
        var count = (await HistoryAsync("tick")).Length;
        Assert.Equal("online", (await _sup.AppAsync("web")).GetProperty("status").GetString());

        await _sup.OkAsync("kill");
        await _sup.OkAsync("start", file);
        var row = await JobRowAsync("tick");
        Assert.True(row.GetProperty("paused").GetBoolean());
        Assert.Equal("paused", row.GetProperty("status").GetString());
        Assert.Contains("tick: ", (await _sup.OkAsync("jobs")).Stdout);
        Assert.Contains(", paused (", (await _sup.OkAsync("jobs")).Stdout);
        Assert.Equal("online", (await Eventually.ValueAsync(() => _sup.AppAsync("web"),
            a => a.GetProperty("status").GetString() == "online", Patience, "web online")).GetProperty("status").GetString());
        // Three due times pass while paused: none runs, and none is owed.
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.Equal(count, (await HistoryAsync("tick")).Length);

        await _sup.OkAsync("resume");
        await Eventually.ValueAsync(() => HistoryAsync("tick"), h => h.Length >= count + 2, Patience, "ticks after resume");
        Assert.False((await JobRowAsync("tick")).GetProperty("paused").GetBoolean());
        Assert.DoesNotContain((await HistoryAsync("tick")).Skip(count), r => r.GetProperty("trigger").GetString() == "missed");
    }

    [Fact(Timeout = 180_000)]
    public async Task After_a_simulated_suspend_a_job_with_run_missed_runs_once_for_the_slot_it_slept_through()
    {
        var runs = Path.Combine(_sup.Apps, "runs.txt");
        var shift = Path.Combine(_sup.Home, "wall-clock-shift");
        File.WriteAllText(shift, "0");
        _sup.WriteFile("brief.sh", $"#!/bin/sh\necho \"$SUP_TRIGGER $SUP_SCHEDULED_AT\" >> {runs}\n");
        // The daemon, started by this first command, gets the wall clock the test can move.
        var start = await _sup.SupWithEnvironmentAsync(TimeSpan.FromSeconds(60), WallClockShift.Environment(shift), "start", Ecosystem("""
            apps:
              - name: brief
                script: ./brief.sh
                every: 10m
                run_missed: true
            """));
        Assert.True(start.ExitCode == 0, start.Stderr);
        var slot = DateTimeOffset.Parse((await JobRowAsync("brief")).GetProperty("next_run").GetString()!, CultureInfo.InvariantCulture);

        // An hour's suspend: the wall clock jumps ahead, the monotonic clock does not.
        File.WriteAllText(shift, "3600");

        var run = (await Eventually.ValueAsync(() => HistoryAsync("brief"), h => h.Length >= 1, TimeSpan.FromSeconds(45), "the missed run")).Single();
        Assert.Equal("missed", run.GetProperty("trigger").GetString());
        Assert.Matches(@"the machine woke from a suspend of about (59m \d+s|1h)\b", _sup.DaemonLog);
        var line = await Eventually.ValueAsync(() => Task.FromResult(File.Exists(runs) ? File.ReadAllText(runs) : ""), t => t.EndsWith('\n'), Patience, "the run's line");
        var fields = line.TrimEnd('\n').Split(' ');
        Assert.Equal("missed", fields[0]);
        Assert.Equal(slot, DateTimeOffset.Parse(fields[1], CultureInfo.InvariantCulture)); // the slot it slept through

        // Exactly once: past the detector's next look at the clocks, nothing more ran, and the
        // next run is the next slot of the cadence, within 10 minutes of the (moved) clock.
        await Task.Delay(TimeSpan.FromSeconds(12));
        Assert.Single(await HistoryAsync("brief"));
        var next = DateTimeOffset.Parse((await JobRowAsync("brief")).GetProperty("next_run").GetString()!, CultureInfo.InvariantCulture);
        var movedNow = DateTimeOffset.UtcNow.AddHours(1);
        Assert.InRange(next - movedNow, TimeSpan.Zero, TimeSpan.FromMinutes(10));
    }

    [Fact(Timeout = 120_000)]
    public async Task Pausing_an_unknown_job_is_one_line_and_pauses_nothing()
    {
        _sup.WriteFile("tick.sh", "#!/bin/sh\necho tick\n");
        await _sup.OkAsync("start", Ecosystem("apps:\n  - name: tick\n    script: ./tick.sh\n    every: 1h\n"));

        var result = await _sup.SupAsync("pause", "tick", "nope");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Equal("No app named 'nope'. `sup ls` lists apps.", result.Stderr.Trim());
        Assert.False((await JobRowAsync("tick")).GetProperty("paused").GetBoolean());
    }

    [Fact(Timeout = 120_000)]
    public async Task A_daily_log_left_from_yesterday_is_renamed_to_its_day_at_the_first_new_line()
    {
        var live = Path.Combine(_sup.Apps, "logs", "daily-out.log");
        Directory.CreateDirectory(Path.GetDirectoryName(live)!);
        File.WriteAllText(live, "from yesterday\n");
        var yesterday = DateTime.Now.Date.AddDays(-1).AddHours(12);
        File.SetLastWriteTime(live, yesterday);
        _sup.WriteFile("daily.sh", "#!/bin/sh\necho today\nexec sleep 600\n");
        await _sup.OkAsync("start", Ecosystem("""
            apps:
              - name: daily
                script: ./daily.sh
                out_file: ./logs/daily-out.log
                log_rotate: daily
            """));

        var dated = Path.Combine(_sup.Apps, "logs", $"daily-out-{yesterday:yyyy-MM-dd}.log");
        Assert.True(await Eventually.TrueAsync(() => Task.FromResult(File.Exists(dated) && File.ReadAllText(live).Contains("today")), Patience),
            $"files: {string.Join(", ", Directory.GetFiles(Path.GetDirectoryName(live)!).Select(Path.GetFileName))}");
        Assert.Equal("from yesterday\n", File.ReadAllText(dated));
        Assert.Equal("today\n", File.ReadAllText(live));
        var logs = (await _sup.OkAsync("logs", "daily", "--nostream", "--out")).Stdout;
        Assert.True(logs.IndexOf("from yesterday", StringComparison.Ordinal) is >= 0 and var old && old < logs.IndexOf("today", StringComparison.Ordinal), logs);
        Assert.Contains("log_rotate", (await _sup.OkAsync("describe", "daily")).Stdout);
    }
}
