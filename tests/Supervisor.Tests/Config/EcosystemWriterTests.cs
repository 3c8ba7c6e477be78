using System.Text.Json;
using Supervisor.Core.Config;
using Xunit;

namespace Supervisor.Tests.Config;

public sealed class EcosystemWriterTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>
    /// Every member, collections by content; the source file and the explicit keys say where the
    /// values came from (the writer spells out values the original left to defaults), not what they are.
    /// </summary>
    private static string Snapshot(IEnumerable<AppSpec> apps) =>
        JsonSerializer.Serialize(apps.Select(a => a with { SourceFile = null, ExplicitKeys = new HashSet<string>() }));

    private IReadOnlyList<AppSpec> RoundTrip(IReadOnlyList<AppSpec> apps, IReadOnlyDictionary<string, bool>? jobEnabled = null)
    {
        var yaml = EcosystemWriter.ToYaml(apps, jobEnabled);
        // Written elsewhere on purpose: every path in a dump must be absolute.
        return EcosystemLoader.Parse(yaml, "/tmp/dump.yaml", new LoadOptions { BaseEnvironment = _dir.Environment }).Apps;
    }

    [Fact]
    public void A_loaded_file_written_and_loaded_again_gives_equal_specs()
    {
        _dir.Write("watchers/gmail.py", "", executable: false);
        _dir.Write("jobs/item.sh");
        _dir.Write("bin/tool");
        _dir.Folder("Inbox");
        var apps = _dir.Load("""
            apps:
              - name: gmail
                script: watchers/gmail.py
                interpreter_args: [-u]
                args: ["--interval", "300", "two words", "", "null", "~", "true", "# not a comment", "a: b"]
                env: { LABEL: INBOX, EMPTY: "", MULTI: "line1\nline2", NUM: 3 }
                env_production: { LABEL: ALL }
                autostart: false
                autorestart: false
                min_uptime: 1500ms
                max_restarts: 9
                restart_delay: 2s
                exp_backoff_restart_delay: 1m
                stop_exit_codes: [0, 3]
                kill_timeout: 90s
                stop_signal: INT
                max_memory_restart: 1536K
                instances: 2
                out_file: logs/out.log
                error_file: logs/err.log
                merge_logs: true
                log_date_format: "yyyy-MM-dd'T'HH:mm"
                log_max_size: 1G
                log_retain: 0
                log_compress: true
                pid_file: run/gmail.pid
                watch: [watchers, config.yaml]
              - name: direct
                script: bin/tool
              - name: shell
                command: "cd /tmp && ls | wc -l"
                args: [x]
              - name: plain
                command: bin/tool get
              - name: sync
                steps: ["echo 'one'", "echo two"]
                every: 6h
                jitter: 30m
                active_hours: "22:00-06:00"
                retry: { attempts: 3, delay: 60s, multiplier: 1.5 }
                run_missed: true
                concurrency: 2
                timezone: Europe/Paris
              - name: inbox
                script: jobs/item.sh
                on_file: { path: Inbox, pattern: "*.md", move_to: Done }
              - name: report
                script: jobs/item.sh
                cron: "0 9 * * MON"
                enabled: false
            """, new LoadOptions { EnvProfile = "production" }).Apps;

        var again = RoundTrip(apps);

        Assert.Equal(Snapshot(apps), Snapshot(again));
        Assert.All(apps.Zip(again), pair => Assert.Empty(AppSpecDiff.Changes(pair.First, pair.Second)));
    }

    [Fact]
    public void A_job_disabled_at_runtime_is_written_disabled()
    {
        _dir.Write("run.sh");
        var apps = _dir.Load("apps: [{ name: nightly, script: run.sh, cron: '0 3 * * *' }]").Apps;

        var yaml = EcosystemWriter.ToYaml(apps, new Dictionary<string, bool> { ["nightly"] = false });

        Assert.Contains("enabled: false", yaml);
        Assert.False(RoundTrip(apps, new Dictionary<string, bool> { ["nightly"] = false })[0].Job!.Enabled);
    }

    [Fact]
    public void An_ad_hoc_app_round_trips()
    {
        _dir.Write("task.py", "", executable: false);
        var apps = new[]
        {
            AppSpecFactory.AdHoc("task.py", "task", ["--once"], _dir.Path, new Dictionary<string, string>(_dir.Environment) { ["K"] = "v" }),
            AppSpecFactory.AdHoc("sleep", "nap", ["60"], _dir.Path),
        };

        Assert.Equal(Snapshot(apps), Snapshot(RoundTrip(apps)));
    }

    [Fact]
    public void Defaults_are_left_out()
    {
        _dir.Write("run.sh");
        var apps = _dir.Load("apps: [{ name: a, script: run.sh }]").Apps;

        var yaml = EcosystemWriter.ToYaml(apps);

        Assert.Equal(
            $"""
            # Written by sup. Loading this file recreates the apps as they were.
            apps:
            - name: a
              script: {_dir.Combine("run.sh")}
              interpreter: sh
              cwd: {_dir.Path}

            """, yaml);
    }

    [Fact]
    public void No_apps_is_a_valid_file()
    {
        Assert.Empty(RoundTrip([]));
    }
}
