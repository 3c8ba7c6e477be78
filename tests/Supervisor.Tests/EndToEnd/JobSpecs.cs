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
        Assert.Contains("every 1s", (await _sup.OkAsync("jobs")).Stdout);
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
    public async Task Disable_survives_a_daemon_restart()
    {
        _sup.WriteFile("tick.sh", "#!/bin/sh\necho tick\n");
        var file = Ecosystem("apps:\n  - name: tick\n    script: ./tick.sh\n    every: 1h\n");
        await _sup.OkAsync("start", file);

        await _sup.OkAsync("disable", "tick");
        Assert.Equal("disabled", (await _sup.AppAsync("tick")).GetProperty("status").GetString());
        await _sup.OkAsync("kill");
        await _sup.OkAsync("start", file);

        var app = await _sup.AppAsync("tick");
        Assert.Equal("disabled", app.GetProperty("status").GetString());
        Assert.False(app.GetProperty("enabled").GetBoolean());

        await _sup.OkAsync("enable", "tick");
        Assert.Equal("scheduled", (await _sup.AppAsync("tick")).GetProperty("status").GetString());
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
}
