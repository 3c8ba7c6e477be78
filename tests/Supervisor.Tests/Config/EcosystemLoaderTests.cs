using Xunit;
using Supervisor.Core.Config;

namespace Supervisor.Tests.Config;

public sealed class EcosystemLoaderTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    private const string SpecExample = """
        apps:
          - name: gmail-watcher
            script: ./watchers/gmail.py
            interpreter: python3
            args: ["--interval", "300"]
            cwd: .
            env: { LABEL: INBOX }
            env_production: { LABEL: ALL }
            autorestart: true
            min_uptime: 10s
            max_restarts: 5
            restart_delay: 0
            exp_backoff_restart_delay: 5s
            stop_exit_codes: [0]
            kill_timeout: 5s
            stop_signal: SIGTERM
            max_memory_restart: 300MB
            instances: 1
            out_file: logs/gmail-out.log
            error_file: logs/gmail-err.log
            merge_logs: false
            log_date_format: "yyyy-MM-dd HH:mm:ss.fff zzz"
            log_max_size: 10MB
            log_retain: 10
            log_compress: true
            pid_file: run/gmail.pid
            watch: false

          - name: weekly-briefing
            script: ./jobs/briefing.sh
            cron: "0 9 * * MON"
            timezone: America/New_York

          - name: social-sync
            steps:
              - ./plugins/twitter get
              - ./plugins/twitter process
              - ./plugins/twitter push
            every: 6h
            jitter: 30m
            active_hours: "07:00-23:00"
            retry: { attempts: 3, delay: 60s, multiplier: 2 }
            run_missed: true

          - name: inbox
            on_file: { path: ./Inbox, pattern: "*.md", move_to: ./Done }
            script: ./jobs/handle_item.sh
            concurrency: 1
        """;

    private void WriteSpecExampleFiles()
    {
        _dir.Write("watchers/gmail.py", "print('hi')\n", executable: false);
        _dir.Write("jobs/briefing.sh", executable: false);
        _dir.Write("jobs/handle_item.sh");
        _dir.Folder("Inbox");
    }

    [Fact]
    public void The_full_example_from_the_spec_loads_with_its_values()
    {
        WriteSpecExampleFiles();

        var ecosystem = _dir.Load(SpecExample);

        Assert.Empty(ecosystem.Warnings);
        Assert.Equal(["gmail-watcher", "weekly-briefing", "social-sync", "inbox"], ecosystem.Apps.Select(a => a.Name));
        var gmail = ecosystem.Apps[0];
        Assert.Equal(AppKind.Service, gmail.Kind);
        Assert.Equal(_dir.Combine("watchers/gmail.py"), gmail.Script);
        Assert.Equal("python3", gmail.Interpreter);
        Assert.Equal(_dir.Combine(".bin/python3"), gmail.FileName);
        Assert.Equal([_dir.Combine("watchers/gmail.py"), "--interval", "300"], gmail.Arguments);
        Assert.Equal(_dir.Path, gmail.Cwd);
        Assert.Equal("INBOX", gmail.Env["LABEL"]);
        Assert.Equal(TimeSpan.FromSeconds(10), gmail.MinUptime);
        Assert.Equal(TimeSpan.Zero, gmail.RestartDelay);
        Assert.Equal([0], gmail.StopExitCodes);
        Assert.Equal(300L * 1024 * 1024, gmail.MaxMemoryRestart);
        Assert.Equal(_dir.Combine("logs/gmail-out.log"), gmail.OutFile);
        Assert.Equal(_dir.Combine("run/gmail.pid"), gmail.PidFile);
        Assert.Equal("yyyy-MM-dd HH:mm:ss.fff zzz", gmail.LogDateFormat);
        Assert.True(gmail.LogCompress);
        Assert.Empty(gmail.Watch);
        Assert.Equal(_dir.EcosystemFile, gmail.SourceFile);

        var briefing = ecosystem.Apps[1];
        Assert.Equal(AppKind.Job, briefing.Kind);
        Assert.Equal("0 9 * * MON", briefing.Job!.Cron);
        Assert.Equal("America/New_York", briefing.Job.Timezone);
        Assert.Equal("sh", briefing.Interpreter);

        var sync = ecosystem.Apps[2].Job!;
        Assert.Equal(["./plugins/twitter get", "./plugins/twitter process", "./plugins/twitter push"], sync.Steps);
        Assert.Equal(TimeSpan.FromHours(6), sync.Every);
        Assert.Equal(TimeSpan.FromMinutes(30), sync.Jitter);
        Assert.Equal("07:00-23:00", sync.ActiveHours);
        Assert.Equal(new RetrySpec(3, TimeSpan.FromSeconds(60), 2), sync.Retry);
        Assert.True(sync.RunMissed);

        var inbox = ecosystem.Apps[3].Job!;
        Assert.Equal(new OnFileSpec(_dir.Combine("Inbox"), "*.md", _dir.Combine("Done")), inbox.OnFile);
        Assert.Equal(1, inbox.Concurrency);
    }

    [Fact]
    public void An_env_profile_is_merged_over_env()
    {
        WriteSpecExampleFiles();

        var plain = _dir.Load(SpecExample).Apps[0];
        var production = _dir.Load(SpecExample, new LoadOptions { EnvProfile = "production" }).Apps[0];

        Assert.Equal("INBOX", plain.Env["LABEL"]);
        Assert.Equal("ALL", production.Env["LABEL"]);
    }

    [Fact]
    public void An_env_profile_no_app_has_is_a_warning()
    {
        WriteSpecExampleFiles();

        var ecosystem = _dir.Load(SpecExample, new LoadOptions { EnvProfile = "staging" });

        var warning = Assert.Single(ecosystem.Warnings);
        Assert.Contains("env_staging", warning.Message);
        Assert.True(warning.IsWarning);
    }

    [Fact]
    public void Only_keeps_the_named_apps()
    {
        WriteSpecExampleFiles();

        var ecosystem = _dir.Load(SpecExample, new LoadOptions { Only = "inbox, gmail-watcher" });

        Assert.Equal(["gmail-watcher", "inbox"], ecosystem.Apps.Select(a => a.Name));
    }

    [Fact]
    public void Only_with_a_name_not_in_the_file_says_which_names_it_has()
    {
        WriteSpecExampleFiles();

        var error = Assert.Throws<Supervisor.Core.SupException>(() => _dir.Load(SpecExample, new LoadOptions { Only = "gmail" }));

        Assert.Contains("'gmail'", error.Message);
        Assert.Contains("gmail-watcher", error.Message);
    }

    [Fact]
    public void A_pm2_process_yml_loads_with_warnings_for_node_only_options()
    {
        _dir.Write("app.js", "console.log(1)\n", executable: false);
        _dir.Write("worker.py", "print(1)\n");

        var ecosystem = _dir.Load("""
            apps:
              - name: api
                script: app.js
                exec_mode: cluster
                instances: 2
                node_args: --max-old-space-size=256
                max_memory_restart: 300M
                combine_logs: true
                time: true
                env:
                  NODE_ENV: development
                  PORT: 3000
                env_production:
                  NODE_ENV: production
              - name: worker
                script: worker.py
                interpreter: none
                autorestart: false
                watch: true
                treekill: true
                namespace: backend
            """, new LoadOptions { EnvProfile = "production" });

        // exec_mode: cluster of a Node script: one app, sup's cluster primary, forking 2 workers.
        Assert.Equal(["api", "worker"], ecosystem.Apps.Select(a => a.Name));
        var api = ecosystem.Apps[0];
        Assert.Equal(2, api.ClusterInstances);
        Assert.Equal("node", api.Interpreter);
        Assert.Equal(_dir.Combine(".bin/node"), api.FileName);
        Assert.Equal(["--max-old-space-size=256", _dir.Combine("app.js")], api.Arguments);
        Assert.Equal(300L << 20, api.MaxMemoryRestart);
        Assert.True(api.MergeLogs);
        Assert.NotNull(api.LogDateFormat);
        Assert.Equal("production", api.Env["NODE_ENV"]);
        Assert.Equal("3000", api.Env["PORT"]);
        Assert.False(api.Env.ContainsKey("NODE_APP_INSTANCE"), "the primary gives each worker its own");

        var worker = ecosystem.Apps[1];
        Assert.Null(worker.Interpreter);
        Assert.False(worker.Autorestart);
        Assert.Equal([_dir.Path], worker.Watch);

        // namespace warns; exec_mode: cluster works, and treekill: true is what sup does anyway.
        Assert.Collection(ecosystem.Warnings,
            w => Assert.Equal((21, 5, true), (w.Line, w.Column, w.Message.StartsWith("namespace"))));
    }

    [Fact]
    public void A_pm2_ecosystem_json_loads()
    {
        _dir.Write("server.js", "console.log(1)\n", executable: false);
        _dir.Write("bin/tool");

        var ecosystem = _dir.Load("""
            {
              "apps": [
                {
                  "name": "server",
                  "script": "./server.js",
                  "args": "--port 8080 --label 'two words'",
                  "min_uptime": 5000,
                  "kill_timeout": 3000,
                  "autorestart": true,
                  "max_restarts": 10,
                  "env": { "DEBUG": false }
                },
                { "name": "tool", "script": "bin/tool", "cron": "*/5 * * * *", "autorestart": false }
              ],
              "deploy": { "production": { "user": "node" } }
            }
            """);

        var server = ecosystem.Apps[0];
        Assert.Equal(["--port", "8080", "--label", "two words"], server.Args);
        Assert.Equal(TimeSpan.FromSeconds(5), server.MinUptime);
        Assert.Equal(TimeSpan.FromSeconds(3), server.KillTimeout);
        Assert.Equal(10, server.MaxRestarts);
        Assert.Equal("false", server.Env["DEBUG"]);
        var tool = ecosystem.Apps[1];
        Assert.Equal(_dir.Combine("bin/tool"), tool.FileName);
        Assert.Equal("*/5 * * * *", tool.Job!.Cron);
        var warning = Assert.Single(ecosystem.Warnings);
        Assert.StartsWith("deploy", warning.Message);
    }

    [Fact]
    public void A_single_app_object_and_a_top_level_list_both_load()
    {
        _dir.Write("run.sh");

        var single = _dir.Load("""{ "name": "one", "script": "run.sh" }""");
        var list = _dir.Load("- { name: one, script: run.sh }\n- { name: two, command: sleep 5 }");

        Assert.Equal(["one"], single.Apps.Select(a => a.Name));
        Assert.Equal(["one", "two"], list.Apps.Select(a => a.Name));
    }

    [Fact]
    public void Instances_make_numbered_copies_with_their_own_files_and_index()
    {
        _dir.Write("run.sh");

        var apps = _dir.Load("""
            apps:
              - name: web
                script: run.sh
                instances: 3
                out_file: logs/web.log
            """).Apps;

        Assert.Equal(["web-0", "web-1", "web-2"], apps.Select(a => a.Name));
        Assert.Equal(["0", "1", "2"], apps.Select(a => a.Env["SUP_INSTANCE"]));
        Assert.Equal(["0", "1", "2"], apps.Select(a => a.Env["NODE_APP_INSTANCE"]));
        Assert.Equal(_dir.Combine("logs/web-2.log"), apps[2].OutFile);
    }

    [Fact]
    public void A_plain_command_is_executed_directly()
    {
        var app = _dir.Load("""
            apps:
              - name: poll
                command: "sh -e  ./poll.sh"
                args: [--verbose]
            """).Apps[0];

        Assert.Equal("poll", app.Name);
        Assert.EndsWith("sh", app.FileName);
        Assert.Equal(["-e", "./poll.sh", "--verbose"], app.Arguments);
        Assert.Equal("sh -e  ./poll.sh", app.Command);
        Assert.Null(app.Script);
    }

    [Theory]
    [InlineData("tail -f log | grep ERROR")]
    [InlineData("cd sub && ./run")]
    [InlineData("echo $HOME")]
    [InlineData("FOO=1 env")]
    [InlineData("ls *.txt")]
    [InlineData("echo 'quoted words'")]
    public void A_command_a_shell_would_interpret_runs_under_sh(string command)
    {
        var app = _dir.Load($"apps:\n  - name: x\n    command: \"{command.Replace("\"", "\\\"")}\"\n").Apps[0];

        Assert.Equal("sh", app.FileName);
        Assert.Equal(["-c", command], app.Arguments);
    }

    [Fact]
    public void Args_of_a_shell_command_reach_it_as_positional_parameters()
    {
        var app = _dir.Load("""
            apps:
              - name: x
                command: "cd /tmp && ls"
                args: ["-l", "two words"]
            """).Apps[0];

        Assert.Equal(["-c", "cd /tmp && ls \"$@\"", "sh", "-l", "two words"], app.Arguments);
    }

    [Fact]
    public void A_relative_program_in_a_command_is_made_absolute_against_cwd()
    {
        _dir.Write("sub/plugins/tool");

        var app = _dir.Load("""
            apps:
              - name: x
                cwd: sub
                command: ./plugins/tool get
            """).Apps[0];

        Assert.Equal(_dir.Combine("sub/plugins/tool"), app.FileName);
        Assert.Equal(["get"], app.Arguments);
        Assert.Equal(_dir.Combine("sub"), app.Cwd);
    }

    [Theory]
    [InlineData("a.py", "python3")]
    [InlineData("a.sh", "sh")]
    [InlineData("a.js", "node")]
    [InlineData("a.mjs", "node")]
    [InlineData("a.cjs", "node")]
    [InlineData("a.ps1", "pwsh")]
    [InlineData("a.rb", "ruby")]
    [InlineData("a.pl", "perl")]
    public void The_interpreter_is_inferred_from_the_extension(string script, string interpreter)
    {
        _dir.Write(script, "", executable: false);

        var ecosystem = _dir.Load($"apps: [{{ name: x, script: {script} }}]");
        var app = ecosystem.Apps[0];

        Assert.Equal(interpreter, app.Interpreter);
        Assert.Equal(_dir.Combine($".bin/{interpreter}"), app.FileName);
        Assert.Empty(ecosystem.Warnings);
        Assert.Equal(_dir.Combine(script), app.Arguments[0]);
    }

    [Fact]
    public void An_executable_without_a_known_extension_runs_directly_with_interpreter_args_before_args()
    {
        _dir.Write("tool");
        _dir.Write("task.py", "", executable: false);

        var apps = _dir.Load("""
            apps:
              - { name: direct, script: tool, args: [a] }
              - { name: interp, script: task.py, interpreter_args: -u, args: "b c" }
            """).Apps;

        Assert.Equal(_dir.Combine("tool"), apps[0].FileName);
        Assert.Equal(["a"], apps[0].Arguments);
        Assert.Equal(["-u", _dir.Combine("task.py"), "b", "c"], apps[1].Arguments);
        Assert.Equal(["-u"], apps[1].InterpreterArgs);
    }

    [Fact]
    public void A_script_that_is_a_program_on_path_is_found_there()
    {
        var app = _dir.Load("apps: [{ name: x, script: sh, args: [-c, 'exit 0'] }]").Apps[0];

        Assert.True(Path.IsPathRooted(app.FileName));
        Assert.Equal(_dir.Combine(".bin/sh"), app.FileName);
        Assert.Equal(["-c", "exit 0"], app.Arguments);
    }

    [Fact]
    public void An_interpreter_that_is_not_installed_is_a_warning_not_an_error()
    {
        _dir.Write("app.rb", "", executable: false);
        var nothingInstalled = new Dictionary<string, string> { ["PATH"] = _dir.Folder("empty") };

        var ecosystem = _dir.Load("apps: [{ name: x, script: app.rb }]", new LoadOptions { BaseEnvironment = nothingInstalled });

        Assert.Equal("ruby", ecosystem.Apps[0].FileName);
        var warning = Assert.Single(ecosystem.Warnings);
        Assert.Equal((1, 27), (warning.Line, warning.Column));
        Assert.Equal("interpreter 'ruby' is not installed or not on PATH; the app will fail to start until it is.", warning.Message);
    }

    [Fact]
    public void Programs_are_looked_up_on_the_apps_own_path()
    {
        _dir.Write("tools/fetch");

        var app = _dir.Load($"apps: [{{ name: x, command: fetch --all, env: {{ PATH: {_dir.Combine("tools")} }} }}]").Apps[0];

        Assert.Equal(_dir.Combine("tools/fetch"), app.FileName);
        Assert.Equal(["--all"], app.Arguments);
    }

    [Fact]
    public void A_leading_tilde_is_the_home_folder()
    {
        _dir.Write("scripts/run.sh");

        var app = _dir.Load("apps: [{ name: x, script: ~/scripts/run.sh, cwd: ~ }]").Apps[0];

        Assert.Equal(_dir.Combine("scripts/run.sh"), app.Script);
        Assert.Equal(_dir.Path, app.Cwd);
    }

    [Fact]
    public void Merge_keys_share_settings_and_written_keys_win()
    {
        _dir.Write("run.sh");

        var apps = _dir.Load("""
            x-defaults: &defaults
              script: run.sh
              kill_timeout: 20s
              env: { A: "1" }
            apps:
              - <<: *defaults
                name: one
              - <<: *defaults
                name: two
                kill_timeout: 1s
            """).Apps;

        Assert.Equal(TimeSpan.FromSeconds(20), apps[0].KillTimeout);
        Assert.Equal(TimeSpan.FromSeconds(1), apps[1].KillTimeout);
        Assert.Equal("1", apps[1].Env["A"]);
    }

    [Fact]
    public void Pm2_time_turns_on_timestamps_and_moment_formats_are_translated()
    {
        _dir.Write("run.sh");

        var ecosystem = _dir.Load("""
            apps:
              - { name: a, script: run.sh, time: true }
              - { name: b, script: run.sh, log_date_format: "YYYY-MM-DD HH:mm:ss Z" }
            """);

        Assert.Equal("yyyy-MM-dd HH:mm:ss.fff zzz", ecosystem.Apps[0].LogDateFormat);
        Assert.Equal("yyyy-MM-dd HH:mm:ss zzz", ecosystem.Apps[1].LogDateFormat);
        Assert.Contains("moment.js", Assert.Single(ecosystem.Warnings).Message);
    }

    [Fact]
    public void Stop_signals_are_stored_in_canonical_form()
    {
        _dir.Write("run.sh");

        var apps = _dir.Load("""
            apps:
              - { name: a, script: run.sh, stop_signal: TERM }
              - { name: b, script: run.sh, stop_signal: 2 }
              - { name: c, script: run.sh, stop_signal: sigusr1 }
            """).Apps;

        Assert.Equal(["SIGTERM", "SIGINT", "SIGUSR1"], apps.Select(a => a.StopSignal));
    }

    [Fact]
    public void Autostart_false_and_enabled_false_are_kept_and_watch_config_is_read()
    {
        _dir.Write("run.sh");

        var ecosystem = _dir.Load("""
            watch_config: true
            apps:
              - { name: a, script: run.sh, autostart: false }
              - { name: b, script: run.sh, every: 1h, enabled: false }
            """);

        Assert.True(ecosystem.WatchConfig);
        Assert.False(ecosystem.Apps[0].Autostart);
        Assert.False(ecosystem.Apps[1].Job!.Enabled);
        Assert.True(ecosystem.Apps[1].Autostart);
    }

    [Fact]
    public void An_empty_apps_list_is_a_valid_file()
    {
        Assert.Empty(_dir.Load("apps: []").Apps);
    }

    [Fact]
    public void Load_reads_the_file_and_names_it_in_the_result()
    {
        _dir.Write("run.sh");
        File.WriteAllText(_dir.EcosystemFile, "apps: [{ name: a, script: run.sh }]");

        var ecosystem = EcosystemLoader.Load(_dir.EcosystemFile, new LoadOptions());

        Assert.Equal(_dir.EcosystemFile, ecosystem.SourceFile);
        Assert.Equal("a", Assert.Single(ecosystem.Apps).Name);
    }
}
