using Supervisor.Core;
using Supervisor.Core.Config;
using Xunit;

namespace Supervisor.Tests.Config;

public sealed class EcosystemProblemsTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public EcosystemProblemsTests() => _dir.Write("run.sh");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void A_yaml_syntax_error_names_file_line_and_column()
    {
        var problems = _dir.Problems("""
            apps:
              - name: a
                script: run.sh
               bad: [
            """);

        var problem = Assert.Single(problems);
        Assert.StartsWith("4:4: This is not valid YAML:", problem);
    }

    [Fact]
    public void The_exception_counts_problems_and_says_nothing_was_started()
    {
        var error = Assert.Throws<SupException>(() => _dir.Load("apps: [{ name: a }, { name: b }]"));

        Assert.Equal($"{_dir.EcosystemFile} has 2 problems; nothing was started.", error.Message);
    }

    [Fact]
    public void Every_problem_in_the_file_is_reported_at_once_with_its_line()
    {
        var problems = _dir.Problems("""
            apps:
              - script: run.sh
              - name: dup
                script: run.sh
              - name: dup
                script: run.sh
              - name: has/slash
                script: run.sh
              - name: has space
                script: run.sh
              - name: no-script
              - name: missing
                script: ./nowhere.py
              - name: negative
                script: run.sh
                min_uptime: -5s
              - name: big
                script: run.sh
                max_memory_restart: 10XB
            """);

        Assert.Equal(
        [
            "5:11: name: 'dup' is already used by the app at line 3; names must be unique.",
            "7:11: name: 'has/slash' holds a '/' or '\\', which commands would take for a path.",
            "11:5: App 'no-script' has nothing to run; give script or command.",
            $"13:13: script: './nowhere.py' does not exist (looked for {_dir.Combine("nowhere.py")}).",
            "16:17: min_uptime: '-5s' is not a valid duration (use 500ms, 10s, 5m, 6h, 1d or milliseconds).",
            "19:25: max_memory_restart: '10XB' is not a valid size (use 512K, 10MB, 1G or a number of bytes).",
        ], problems);
    }

    [Fact]
    public void An_unknown_key_gets_a_suggestion_when_one_is_close()
    {
        var problems = _dir.Problems("""
            apps:
              - name: a
                scirpt: run.sh
                command: sleep 1
                min_uptim: 1s
                frobnicate: yes
            """);

        Assert.Equal(
        [
            "3:5: Unknown key 'scirpt' in an app; did you mean 'script'?",
            "5:5: Unknown key 'min_uptim' in an app; did you mean 'min_uptime'?",
            "6:5: Unknown key 'frobnicate' in an app.",
        ], problems);
    }

    [Fact]
    public void Unknown_top_level_keys_are_errors_with_suggestions()
    {
        var problems = _dir.Problems("""
            app:
              - { name: a, script: run.sh }
            """);

        Assert.Equal(
        [
            "1:1: Unknown key 'app' at the top level (apps, watch_config); did you mean 'apps'?",
            "1:1: There is no apps: key; list the apps under it.",
        ], problems);
    }

    [Fact]
    public void A_key_written_twice_is_reported_where_it_repeats()
    {
        var problems = _dir.Problems("""
            apps:
              - name: a
                script: run.sh
                name: b
            """);

        Assert.Equal(["4:5: This is not valid YAML: the key 'name' appears twice in the same mapping."], problems);
    }

    [Fact]
    public void Bad_values_name_the_key_and_the_value()
    {
        var problems = _dir.Problems("""
            apps:
              - name: a
                script: run.sh
                autorestart: maybe
                max_restarts: many
                instances: -2
                stop_signal: SIGFOO
                log_retain: -1
                stop_exit_codes: [0, x]
                log_date_format: "'unterminated"
                cwd: ./not-here
                env: [A, B]
            """);

        Assert.Equal(
        [
            "4:18: autorestart: 'maybe' is not true or false.",
            "5:19: max_restarts: 'many' is not a whole number.",
            "6:16: instances: '-2' must be -1 or more.",
            "7:18: stop_signal: 'SIGFOO' is not a signal sup knows (use a name such as SIGTERM, SIGINT, SIGHUP or SIGUSR1).",
            "8:17: log_retain: '-1' must be 0 or more.",
            "9:26: stop_exit_codes: 'x' is not a whole number.",
            "10:22: log_date_format: ''unterminated' is not a valid .NET date format (for example yyyy-MM-dd HH:mm:ss.fff zzz).",
            $"11:10: cwd: './not-here' is not a folder (looked for {_dir.Combine("not-here")}).",
            "12:10: env must be a mapping (key: value), not a list.",
        ], problems);
    }

    [Fact]
    public void Script_and_command_together_or_a_non_executable_script_are_errors()
    {
        _dir.Write("plain.txt", "data", executable: false);

        var problems = _dir.Problems("""
            apps:
              - { name: a, script: run.sh, command: sleep 1 }
              - { name: b, script: plain.txt }
              - { name: c, command: sleep 1, interpreter: python3 }
            """);

        Assert.Equal(3, problems.Count);
        Assert.StartsWith("2:32: Give either script or command, not both.", problems[0]);
        Assert.StartsWith("3:24: script: 'plain.txt' is not executable and no interpreter runs it: set interpreter:", problems[1]);
        Assert.StartsWith("4:34: interpreter applies to script only", problems[2]);
    }

    [Fact]
    public void Job_rules_are_checked()
    {
        var problems = _dir.Problems("""
            apps:
              - { name: a, script: run.sh, jitter: 5m }
              - { name: b, script: run.sh, cron: "0 9 * * *", every: 1h }
              - { name: c, script: run.sh, cron: "0 9 * *" }
              - { name: d, script: run.sh, every: 1h, timezone: Mars/Olympus }
              - { name: e, script: run.sh, every: 1h, active_hours: "7-23" }
              - { name: f, script: run.sh, every: 1h, concurrency: 0 }
              - { name: g, script: run.sh, every: 1h, retry: { attempts: 3, delai: 1s } }
              - { name: h, script: run.sh, steps: [echo hi], every: 1h }
              - { name: i, script: run.sh, on_file: { path: ./nope } }
              - { name: j, script: run.sh, every: 0s }
              - { name: k, script: run.sh, cron: "61 9 * * *" }
            """);

        Assert.Equal(
        [
            "2:32: jitter applies only to jobs (apps with cron, every or on_file).",
            "3:51: A job has one schedule: give cron or every, not both.",
            "4:38: cron: '0 9 * *' is not a cron expression: give 5 fields (minute hour day month weekday), 6 with seconds first, or one of @yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly.",
            "5:53: timezone: 'Mars/Olympus' is not a time zone this machine knows (use an IANA id such as Europe/Paris or America/New_York).",
            "6:57: active_hours: '7-23' is not a window of the form HH:mm-HH:mm (for example 07:00-23:00, or 22:00-06:00 across midnight).",
            "7:56: concurrency: '0' must be 1 or more.",
            "8:65: Unknown key 'delai' in retry; did you mean 'delay'?",
            "9:32: steps replace script and command; give steps or one of them.",
            $"10:49: on_file.path: './nope' is not a folder (looked for {_dir.Combine("nope")}); create it or fix the path.",
            "11:39: every: '0s' must be longer than zero.",
            "12:38: cron: Invalid cron expression \"61 9 * * *\": minute field \"61\" is out of range 0-59.",
        ], problems);
    }

    [Fact]
    public void An_active_window_may_wrap_midnight()
    {
        var app = _dir.Load("apps: [{ name: a, script: run.sh, every: 1h, active_hours: \"22:00-06:00\" }]").Apps[0];

        Assert.Equal("22:00-06:00", app.Job!.ActiveHours);
    }

    [Fact]
    public void Exec_mode_cluster_of_a_non_node_app_warns_what_works_instead_and_fork_is_silent()
    {
        var ecosystem = _dir.Load("""
            apps:
              - { name: a, script: run.sh, exec_mode: cluster, instances: 2 }
              - { name: b, script: run.sh, exec_mode: fork }
            """);

        var warning = Assert.Single(ecosystem.Warnings);
        Assert.Equal("ecosystem.yaml", Path.GetFileName(warning.File));
        Assert.Equal((2, 43), (warning.Line, warning.Column));
        Assert.Equal(
            $"{_dir.EcosystemFile}:2:43: warning: exec_mode: cluster is Node's cluster module, and this app is 'run.sh', which is not run by node: its 2 instance(s) run as separate processes, so only one of them can listen on a port unless the app sets SO_REUSEPORT on its socket (see docs/supervision.md, Cluster mode).",
            warning.ToString());
        Assert.Equal(["a-0", "a-1", "b"], ecosystem.Apps.Select(a => a.Name));
        Assert.All(ecosystem.Apps, a => Assert.Null(a.ClusterInstances));
    }

    [Fact]
    public void An_unknown_exec_mode_is_an_error()
    {
        var problems = _dir.Problems("apps: [{ name: a, script: run.sh, exec_mode: clustr }]");

        Assert.Contains(problems, p => p.EndsWith("exec_mode: 'clustr' is not a mode; use fork (the default) or cluster.", StringComparison.Ordinal));
    }

    [Fact]
    public void Cluster_mode_without_node_is_an_error_naming_what_to_do()
    {
        _dir.Write("server.js", "console.log(1)\n", executable: false);

        var problems = _dir.Problems("apps: [{ name: a, script: server.js, interpreter: /no/such/node, cluster_mode: true, instances: 2 }]");

        Assert.Contains(problems, p => p.Contains("exec_mode: cluster runs the app with node, and '/no/such/node' was not found", StringComparison.Ordinal)
            && p.Contains("install Node.js or set interpreter: to node's path", StringComparison.Ordinal));
    }

    [Fact]
    public void Warnings_are_listed_with_the_errors_of_an_invalid_file()
    {
        var problems = _dir.Problems("""
            apps:
              - { name: a, script: run.sh, vizion: true }
              - { name: b }
            """);

        Assert.Equal(2, problems.Count);
        Assert.StartsWith("2:32: warning: vizion", problems[0]);
        Assert.StartsWith("3:5: App 'b' has nothing to run", problems[1]);
    }

    [Fact]
    public void Instance_names_that_collide_with_another_app_are_reported()
    {
        var problems = _dir.Problems("""
            apps:
              - { name: web-1, script: run.sh }
              - { name: web, script: run.sh, instances: 2 }
            """);

        Assert.Equal(["3:13: name: 'web' (instance 'web-1') is already used by the app at line 2; names must be unique."], problems);
    }

    [Theory]
    [InlineData("", "1:1: The file is empty; list the apps under apps:.")]
    [InlineData("just text", "1:1: The file must be a mapping with apps: (a list of apps).")]
    [InlineData("apps: { name: a }", "1:7: apps must be a list of apps, not a mapping.")]
    [InlineData("apps: [plain]", "1:8: Each item of apps must be an app (name: ..., script: ...), not a value.")]
    [InlineData("apps: []\n---\napps: []", "3:1: The file holds more than one YAML document (---); list every app under one apps:.")]
    [InlineData("apps: [{ name: all, script: run.sh }]", "1:16: name: 'all' is reserved: commands use it to select every app.")]
    public void Files_of_the_wrong_shape_say_what_shape_is_expected(string yaml, string expected)
    {
        Assert.Equal([expected], _dir.Problems(yaml));
    }

    [Fact]
    public void A_missing_file_is_one_clear_line()
    {
        var path = _dir.Combine("missing.yaml");

        var error = Assert.Throws<SupException>(() => EcosystemLoader.Load(path, new LoadOptions()));

        Assert.Equal(SupError.InvalidConfig, error.Error);
        Assert.Equal($"There is no ecosystem file at {path}. `sup init` writes a starter ecosystem.yaml.", error.Message);
    }
}
