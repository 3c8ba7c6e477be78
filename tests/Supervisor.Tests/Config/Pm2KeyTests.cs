using Supervisor.Core.Config;
using Xunit;

namespace Supervisor.Tests.Config;

/// <summary>
/// PM2 keys as real PM2 files write them, each meaning what PM2 means (checked against PM2's
/// schema and docs): the same object as YAML, JSON or ecosystem.config.js reads the same.
/// </summary>
public sealed class Pm2KeyTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    private Ecosystem LoadFile(string file, string text, LoadOptions? options = null)
    {
        var path = _dir.Write(file, text, executable: false);
        return EcosystemLoader.Load(path, (options ?? new LoadOptions()) with { BaseEnvironment = _dir.Environment });
    }

    [Fact]
    public void Instances_with_increment_var_and_instance_var_number_each_copy_as_pm2_does()
    {
        _dir.Write("server.js", "console.log(1)\n", executable: false);
        var ecosystem = LoadFile("ecosystem.config.js", """
            module.exports = { apps: [{
              name: 'api', script: 'server.js', instances: 3,
              increment_var: 'PORT', instance_var: 'INSTANCE_ID',
              env: { PORT: 3000, NODE_ENV: 'production' },
            }] };
            """);

        Assert.Equal(["api-0", "api-1", "api-2"], ecosystem.Apps.Select(a => a.Name));
        Assert.Equal(["3000", "3001", "3002"], ecosystem.Apps.Select(a => a.Env["PORT"]));
        Assert.Equal(["0", "1", "2"], ecosystem.Apps.Select(a => a.Env["INSTANCE_ID"]));
        Assert.Equal(["0", "1", "2"], ecosystem.Apps.Select(a => a.Env["SUP_INSTANCE"]));
        Assert.All(ecosystem.Apps, a => Assert.False(a.Env.ContainsKey("NODE_APP_INSTANCE")));
        Assert.Empty(ecosystem.Warnings);
    }

    [Fact]
    public void Increment_var_that_env_does_not_set_is_an_error_naming_the_fix()
    {
        _dir.Write("server.js", "", executable: false);

        var problems = _dir.Problems("apps:\n  - { name: api, script: server.js, instances: 2, increment_var: PORT }\n");

        Assert.Contains(problems, p => p.Contains("increment_var: PORT is not set in env"));
    }

    [Theory]
    [InlineData("0", 0)]
    [InlineData("-1", -1)]
    [InlineData("max", 0)]
    public void Instances_0_max_and_minus_1_are_all_cpus_or_all_but_one(string written, int offset)
    {
        _dir.Write("server.js", "", executable: false);

        var apps = _dir.Load($"apps:\n  - {{ name: api, script: server.js, instances: {written} }}\n").Apps;

        var expected = Math.Max(1, Environment.ProcessorCount + offset);
        Assert.Equal(expected == 1 ? ["api"] : Enumerable.Range(0, expected).Select(i => $"api-{i}"), apps.Select(a => a.Name));
    }

    [Fact]
    public void Pm2_aliases_output_error_pid_and_exec_are_the_keys_they_name()
    {
        _dir.Write("app.sh");
        var ecosystem = LoadFile("process.json", """
            {
              "apps": [{
                "name": "web",
                "exec": "app.sh",
                "output": "./logs/out.log",
                "error": "./logs/err.log",
                "pid": "./web.pid",
                "log": "./logs/all.log"
              }]
            }
            """);

        var web = Assert.Single(ecosystem.Apps);
        Assert.Equal(_dir.Combine("app.sh"), web.Script);
        Assert.Equal(_dir.Combine("logs/out.log"), web.OutFile);
        Assert.Equal(_dir.Combine("logs/err.log"), web.ErrorFile);
        Assert.Equal(_dir.Combine("web.pid"), web.PidFile);
        Assert.True(web.CombinedLog);
        Assert.Equal(_dir.Combine("logs/all.log"), web.LogFile);
    }

    [Fact]
    public void An_alias_given_with_its_key_is_one_error_at_the_alias()
    {
        _dir.Write("app.sh");

        var problems = _dir.Problems("apps:\n  - name: web\n    script: app.sh\n    out_file: a.log\n    output: b.log\n");

        Assert.Equal(["5:5: output is another name for out_file (as out_file); give only one of them."], problems);
    }

    [Fact]
    public void Merge_logs_and_combine_logs_together_load_when_they_agree_and_instances_share_the_files()
    {
        _dir.Write("app.sh");
        var options = new LoadOptions { SupHome = "/tmp/sup-home" };

        var apps = _dir.Load("apps:\n  - { name: web, script: app.sh, instances: 2, merge_logs: true, combine_logs: true, log_file: true }\n", options).Apps;

        Assert.Equal(["web-0", "web-1"], apps.Select(a => a.Name));
        Assert.All(apps, a => Assert.Equal("/tmp/sup-home/logs/web-out.log", a.OutFile));
        Assert.All(apps, a => Assert.Equal("/tmp/sup-home/logs/web-err.log", a.ErrorFile));
        Assert.All(apps, a => Assert.Equal("/tmp/sup-home/logs/web.log", a.LogFile));
        Assert.Single(_dir.Problems("apps:\n  - { name: web, script: app.sh, merge_logs: true, combine_logs: false }\n"));
    }

    [Fact]
    public void Without_merge_logs_each_instance_gets_its_own_suffixed_files()
    {
        _dir.Write("app.sh");

        var apps = _dir.Load("apps:\n  - { name: web, script: app.sh, instances: 2, out_file: ./web.log, log_file: ./all.log }\n").Apps;

        Assert.Equal([_dir.Combine("web-0.log"), _dir.Combine("web-1.log")], apps.Select(a => a.OutFile));
        Assert.Equal([_dir.Combine("all-0.log"), _dir.Combine("all-1.log")], apps.Select(a => a.LogFile));
    }

    [Fact]
    public void Log_date_format_false_is_no_prefix_not_a_format()
    {
        _dir.Write("app.sh");

        var app = _dir.Load("apps:\n  - { name: web, script: app.sh, log_date_format: false }\n").Apps[0];

        Assert.Null(app.LogDateFormat);
    }

    [Fact]
    public void A_missing_name_is_the_scripts_file_name_without_extension()
    {
        _dir.Write("server.js", "", executable: false);
        _dir.Write("bin/www", "require('../app')\n", executable: false);

        var apps = LoadFile("ecosystem.config.js", "module.exports = { apps: [{ script: './server.js' }, { script: 'bin/www' }] };").Apps;

        Assert.Equal(["server", "www"], apps.Select(a => a.Name));
        // bin/www is not executable and has no extension: PM2 runs it with node.
        Assert.Equal("node", apps[1].Interpreter);
    }

    [Fact]
    public void Names_may_hold_spaces_and_colons_as_in_pm2_and_their_files_are_made_safe()
    {
        _dir.Write("app.sh");

        var apps = _dir.Load("apps:\n  - { name: \"API Server\", script: app.sh }\n  - { name: \"worker:emails\", script: app.sh }\n").Apps;

        Assert.Equal(["API Server", "worker:emails"], apps.Select(a => a.Name));
        var safe = AppNames.FileSafe("API Server");
        Assert.Matches("^API_Server-[0-9a-f]{8}$", safe);
        Assert.NotEqual(AppNames.FileSafe("API_Server"), safe);
        Assert.Equal("web-1", AppNames.FileSafe("web-1"));
        Assert.Contains(_dir.Problems("apps:\n  - { name: \"a/b\", script: app.sh }\n"), p => p.Contains("'/'"));
    }

    [Fact]
    public void A_script_that_is_a_command_line_runs_as_a_command()
    {
        var apps = _dir.Load("apps:\n  - { name: web, script: \"sh -c 'exec sleep 5' && true\" }\n  - { name: plain, script: \"sh serve dist -s\" }\n").Apps;

        Assert.Equal("sh", Path.GetFileName(apps[0].FileName));
        Assert.Equal(["-c", "sh -c 'exec sleep 5' && true"], apps[0].Arguments);
        Assert.Null(apps[0].Script);
        Assert.Equal(_dir.Combine(".bin/sh"), apps[1].FileName);
        Assert.Equal(["serve", "dist", "-s"], apps[1].Arguments);
    }

    [Fact]
    public void A_sh_script_runs_under_the_shell_its_shebang_names()
    {
        _dir.Write("arrays.sh", "#!/bin/bash -e\nx=(a b)\necho ${x[1]}\n", executable: false);
        _dir.Write("env.sh", "#!/usr/bin/env bash\necho hi\n", executable: false);
        _dir.Write("plain.sh", "echo hi\n", executable: false);

        var apps = _dir.Load("apps:\n  - { name: a, script: arrays.sh }\n  - { name: b, script: env.sh }\n  - { name: c, script: plain.sh }\n").Apps;

        Assert.Equal("/bin/bash", apps[0].FileName);
        Assert.Equal(["-e", _dir.Combine("arrays.sh")], apps[0].Arguments);
        Assert.Equal("bash", apps[1].Interpreter);
        Assert.Equal("sh", apps[2].Interpreter);
    }

    [Fact]
    public void Typescript_runs_with_ts_node_as_in_pm2()
    {
        _dir.Write("index.ts", "console.log(1)\n", executable: false);

        var app = _dir.Load("apps:\n  - { name: api, script: index.ts }\n", new LoadOptions()).Apps[0];

        Assert.Equal("ts-node", app.Interpreter);
    }

    [Fact]
    public void Env_file_is_read_under_env_and_port_sets_PORT()
    {
        _dir.Write("app.sh");
        _dir.Write(".env", "# secrets\nDB_URL=postgres://db\nMODE=from-file\nexport TOKEN='abc'\n", executable: false);

        var app = LoadFile("process.yml", "apps:\n  - name: web\n    script: app.sh\n    env_file: .env\n    port: 8080\n    env: { MODE: from-env }\n").Apps[0];

        Assert.Equal("postgres://db", app.Env["DB_URL"]);
        Assert.Equal("abc", app.Env["TOKEN"]);
        Assert.Equal("from-env", app.Env["MODE"]);
        Assert.Equal("8080", app.Env["PORT"]);
        Assert.Contains("env_file: cannot read", Assert.Single(_dir.Problems("apps:\n  - { name: web, script: app.sh, env_file: nope.env }\n")));
    }

    [Fact]
    public void Watch_keys_and_cron_restart_are_read_for_a_service()
    {
        _dir.Write("app.sh");
        _dir.Folder("src");

        var app = LoadFile("ecosystem.config.js", """
            module.exports = { apps: [{
              name: 'web', script: 'app.sh', watch: ['src'], ignore_watch: ['node_modules', '*.log'], watch_delay: 250,
              cron_restart: '0 3 * * *', autorestart: false,
            }] };
            """).Apps[0];

        Assert.Equal([_dir.Combine("src")], app.Watch);
        Assert.Equal(["node_modules", "*.log"], app.IgnoreWatch);
        Assert.Equal(TimeSpan.FromMilliseconds(250), app.WatchDelay);
        Assert.Equal("0 3 * * *", app.CronRestart);
        Assert.Equal(AppKind.Service, app.Kind);
        Assert.Contains("cron_restart: ", Assert.Single(_dir.Problems("apps:\n  - { name: web, script: app.sh, cron_restart: '61 * * * *' }\n")));
    }

    [Fact]
    public void Keys_pm2_itself_ignores_load_with_a_warning_naming_why()
    {
        _dir.Write("app.sh");

        var ecosystem = _dir.Load("apps:\n  - { name: web, script: app.sh, windowsHide: false, v8: true }\n");

        Assert.Equal(2, ecosystem.Warnings.Count);
        Assert.Contains(ecosystem.Warnings, w => w.ToString().Contains("windowsHide is a PM2 option with no meaning here"));
    }
    [Fact]
    public void Two_apps_named_after_the_same_script_are_a_duplicate_at_the_second_script()
    {
        _dir.Write("a/server.js", "", executable: false);
        _dir.Write("b/server.js", "", executable: false);

        var problems = _dir.Problems("apps:\n  - script: a/server.js\n  - script: b/server.js\n");

        Assert.Equal(["3:13: name: 'server' is already used by the app at line 2; names must be unique."], problems);
    }
}
