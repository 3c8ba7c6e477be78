using Xunit;
using System.Text.Json;
using Supervisor.Tests.TestSupport;

namespace Supervisor.Tests.EndToEnd;

/// <summary>`sup ls`, `sup describe`, `sup init` and completion, as a user sees them, against a real daemon.</summary>
public sealed class ObserveSpecs : IAsyncLifetime
{
    private readonly SupHome _sup = SupHome.Create();

    public Task InitializeAsync() => Task.CompletedTask;
    public async Task DisposeAsync() => await _sup.DisposeAsync();

    private string Ecosystem(string body) => _sup.WriteFile("ecosystem.yaml", body);

    private async Task<JsonElement> DescribeAsync(string name, params string[] options)
    {
        var result = await _sup.OkAsync(["describe", name, "--json", .. options]);
        return JsonDocument.Parse(result.Stdout).RootElement.Clone();
    }

    [Fact]
    public async Task Ls_json_prints_every_documented_field_of_every_app()
    {
        await _sup.OkAsync("start", Ecosystem("""
            apps:
              - name: svc
                command: sleep 300
              - name: job
                command: echo hi
                every: 1h
            """));

        var apps = await _sup.ListAsync();

        string[] fields = ["name", "kind", "status", "pid", "uptime_ms", "restarts", "cpu", "memory", "next_run", "reason",
            "waiting_ms", "last_exit_code", "fast_crashes", "last_run", "last_result", "enabled", "log_lines_dropped", "id", "exec_mode"];
        Assert.All(apps, app => Assert.Equal(fields.Order(), app.EnumerateObject().Select(p => p.Name).Order()));
        var svc = apps.Single(a => a.GetProperty("name").GetString() == "svc");
        Assert.Equal("service", svc.GetProperty("kind").GetString());
        Assert.True(svc.GetProperty("pid").GetInt32() > 0);
        var job = apps.Single(a => a.GetProperty("name").GetString() == "job");
        Assert.Equal("job", job.GetProperty("kind").GetString());
        Assert.True(DateTimeOffset.TryParse(job.GetProperty("next_run").GetString(), out _));
    }

    [Fact]
    public async Task Memory_is_the_whole_process_tree_including_a_child_the_app_started()
    {
        // The app is a shell; the 60 MB live in its python child.
        _sup.WriteFile("parent.sh", """
            #!/bin/sh
            python3 -c "b=bytearray(60_000_000); import time; time.sleep(300)" &
            wait
            """);
        await _sup.OkAsync("start", Ecosystem("apps:\n  - name: parent\n    script: ./parent.sh\n"));

        var app = await Eventually.ValueAsync(() => _sup.AppAsync("parent"),
            a => a.GetProperty("memory").ValueKind == JsonValueKind.Number && a.GetProperty("memory").GetInt64() >= 60_000_000,
            TimeSpan.FromSeconds(30), "the sampler to count the child's 60 MB");

        Assert.InRange(app.GetProperty("cpu").GetDouble(), 0, 400);
        Assert.Contains(" MB", (await _sup.OkAsync("ls")).Stdout);
    }

    [Fact]
    public async Task Ls_filters_by_glob_and_sorts_in_the_table_and_in_json()
    {
        await _sup.OkAsync("start", Ecosystem("""
            apps:
              - name: gmail-watcher
                command: sleep 300
              - name: api
                command: sleep 300
              - name: gmail-sender
                command: sleep 300
            """));

        var table = (await _sup.OkAsync("ls", "gmail*", "--sort", "name")).Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var json = JsonDocument.Parse((await _sup.OkAsync("ls", "gmail*", "--json")).Stdout).RootElement;
        var none = await _sup.OkAsync("ls", "nothing*");
        var badSort = await _sup.SupAsync("ls", "--sort", "colour");

        Assert.StartsWith("id  name", table[0]);
        Assert.Equal(["gmail-sender", "gmail-watcher"], table.Skip(1).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]));
        Assert.Equal(["gmail-watcher", "gmail-sender"], json.EnumerateArray().Select(a => a.GetProperty("name").GetString()));
        Assert.Contains("No app matches 'nothing*'", none.Stdout);
        Assert.NotEqual(0, badSort.ExitCode);
    }

    [Fact]
    public async Task An_errored_app_shows_why_in_the_ls_table()
    {
        await _sup.OkAsync("start", Ecosystem("""
            apps:
              - name: crasher
                command: sh -c 'exit 3'
                min_uptime: 5s
                exp_backoff_restart_delay: 100ms
                max_restarts: 2
            """));
        await Eventually.ValueAsync(() => _sup.AppAsync("crasher"),
            a => a.GetProperty("status").GetString() == "errored", TimeSpan.FromSeconds(20), "crasher errored");

        var lines = (await _sup.OkAsync("ls")).Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.EndsWith("reason", lines[0].TrimEnd());
        Assert.Contains("errored", lines[1]);
        Assert.EndsWith("2 fast crashes, last exit 3", lines[1].TrimEnd());
    }

    [Fact]
    public async Task Describe_masks_secret_looking_env_values_unless_asked()
    {
        await _sup.OkAsync("start", Ecosystem("""
            apps:
              - name: mailer
                command: sleep 300
                env: { API_TOKEN: tok-123, DB_PASSWORD: pw-456, signing_key: key-789, LABEL: INBOX }
            """));

        var masked = await DescribeAsync("mailer");
        var shown = await DescribeAsync("mailer", "--show-secrets");
        var text = (await _sup.OkAsync("describe", "mailer")).Stdout;

        var env = masked.GetProperty("env");
        Assert.Equal("******", env.GetProperty("API_TOKEN").GetString());
        Assert.Equal("******", env.GetProperty("DB_PASSWORD").GetString());
        Assert.Equal("******", env.GetProperty("signing_key").GetString());
        Assert.Equal("INBOX", env.GetProperty("LABEL").GetString());
        Assert.Equal("tok-123", shown.GetProperty("env").GetProperty("API_TOKEN").GetString());
        Assert.DoesNotContain("tok-123", text);
        Assert.DoesNotContain("pw-456", text);
        Assert.Contains("INBOX", text);
    }

    [Fact]
    public async Task Describe_says_where_each_config_value_came_from_and_where_the_files_are()
    {
        await _sup.OkAsync("start", Ecosystem("""
            apps:
              - name: svc
                command: sleep 300
                min_uptime: 3s
                combine_logs: true
            """));
        _sup.WriteFile("adhoc.sh", "#!/bin/sh\nexec sleep 300\n");
        await _sup.OkAsync("start", "adhoc.sh", "--name", "adhoc");

        var svc = await DescribeAsync("svc");
        var adhoc = await DescribeAsync("adhoc");

        var sources = svc.GetProperty("config_sources");
        Assert.Equal("3s", svc.GetProperty("config").GetProperty("min_uptime").GetString());
        Assert.Equal("file", sources.GetProperty("min_uptime").GetString());
        Assert.Equal("file", sources.GetProperty("command").GetString());
        Assert.Equal("file", sources.GetProperty("merge_logs").GetString()); // written as its PM2 alias
        Assert.Equal("default", sources.GetProperty("kill_timeout").GetString());
        Assert.Equal("cli", adhoc.GetProperty("config_sources").GetProperty("script").GetString());
        Assert.Equal(Path.Combine(_sup.Home, "logs", "svc-out.log"), svc.GetProperty("out_log").GetString());
        Assert.Equal(Path.Combine(_sup.Home, "pids", "svc.pid"), svc.GetProperty("pid_file").GetString());
        Assert.Equal(Path.Combine(_sup.Apps, "ecosystem.yaml"), svc.GetProperty("source_file").GetString());
        Assert.Contains(svc.GetProperty("history").EnumerateArray(), h => h.GetProperty("to").GetString() == "online");
        Assert.Equal(5000, svc.GetProperty("next_backoff_ms").GetInt64());
    }

    [Fact]
    public async Task Describe_a_waiting_service_shows_its_backoff()
    {
        await _sup.OkAsync("start", Ecosystem("""
            apps:
              - name: flaky
                command: sh -c 'exit 1'
                exp_backoff_restart_delay: 30s
            """));
        await Eventually.ValueAsync(() => _sup.AppAsync("flaky"),
            a => a.GetProperty("status").GetString() == "waiting", TimeSpan.FromSeconds(15), "waiting");

        var detail = await DescribeAsync("flaky");
        var text = (await _sup.OkAsync("describe", "flaky")).Stdout;

        Assert.Equal(30_000, detail.GetProperty("backoff_ms").GetInt64());
        Assert.Equal(60_000, detail.GetProperty("next_backoff_ms").GetInt64());
        Assert.Contains("backoff", text);
    }

    [Fact]
    public async Task Describe_a_job_lists_its_next_five_due_times_and_its_last_runs()
    {
        await _sup.OkAsync("start", Ecosystem("""
            apps:
              - name: report
                command: echo report
                cron: "*/5 * * * *"
            """));
        await _sup.OkAsync("run", "report");
        await Eventually.ValueAsync(() => DescribeAsync("report"),
            d => d.GetProperty("last_runs").EnumerateArray().Any(r => r.GetProperty("trigger").GetString() == "manual"),
            TimeSpan.FromSeconds(15), "the manual run recorded");

        var detail = await DescribeAsync("report");

        var next = detail.GetProperty("next_runs").EnumerateArray().Select(e => DateTimeOffset.Parse(e.GetString()!)).ToList();
        Assert.Equal(5, next.Count);
        Assert.All(next, t => Assert.Equal(0, t.Minute % 5));
        Assert.All(next.Zip(next.Skip(1)), pair => Assert.Equal(TimeSpan.FromMinutes(5), pair.Second - pair.First));
        Assert.Contains("next runs", (await _sup.OkAsync("describe", "report")).Stdout);
    }

    [Fact]
    public async Task Init_writes_a_starter_file_that_starts_and_never_overwrites_it()
    {
        var first = await _sup.OkAsync("init");
        var again = await _sup.SupAsync("init");
        await _sup.OkAsync("start", "ecosystem.yaml");

        Assert.Contains("ecosystem.yaml", first.Stdout);
        Assert.NotEqual(0, again.ExitCode);
        Assert.Contains("already exists", again.Stderr);
        var log = await Eventually.ValueAsync(() => Task.FromResult(_sup.ReadLog("hello")),
            l => l.Contains("hello from sup"), TimeSpan.FromSeconds(15), "the starter service's output");
        Assert.Equal("scheduled", (await _sup.AppAsync("tick")).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Completion_offers_the_running_daemons_app_names()
    {
        await _sup.OkAsync("start", Ecosystem("""
            apps:
              - name: gmail-watcher
                command: sleep 300
              - name: api
                command: sleep 300
            """));

        var complete = await _sup.OkAsync("complete", "--position", "10", "sup stop g");
        var viaBash = await RunBashCompletionAsync("sup stop g");

        Assert.Equal(["gmail-watcher"], Lines(complete.Stdout));
        Assert.Equal(["gmail-watcher"], Lines(viaBash));
    }

    [Fact]
    public async Task Completion_never_starts_the_daemon()
    {
        var complete = await _sup.OkAsync("complete", "sup stop ");
        var commands = await _sup.OkAsync("complete", "sup re");

        Assert.DoesNotContain(Lines(complete.Stdout), l => !l.StartsWith('-'));
        Assert.Contains("restart", Lines(commands.Stdout));
        Assert.Contains("reload", Lines(commands.Stdout));
        Assert.Null(_sup.DaemonPid);
        Assert.False(File.Exists(Path.Combine(_sup.Home, "sup.sock")));
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>Loads `sup completion bash` into a real bash and calls its function as TAB would.</summary>
    private Task<string> RunBashCompletionAsync(string line) =>
        _sup.ShellAsync("bash", "-c", $$"""
            source <(sup completion bash)
            COMP_LINE='{{line}}'; COMP_POINT={{line.Length}}; read -ra COMP_WORDS <<< "$COMP_LINE"
            _sup_complete
            printf '%s\n' "${COMPREPLY[@]}"
            """);
}
