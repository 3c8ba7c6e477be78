using Supervisor.Core;
using Supervisor.Core.Config;
using Xunit;

namespace Supervisor.Tests.Config;

/// <summary>Plugin files (commands:), services that run one (run:), steps naming them, and group: jobs.</summary>
public sealed class PluginTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public PluginTests()
    {
        foreach (var plugin in (string[])["twitter", "instagram"])
        {
            foreach (var command in (string[])["server", "get", "process", "push"]) _dir.Write($"plugins/{plugin}/{command}.sh");
            _dir.Write($"plugins/{plugin}/sup.yaml", $$"""
                commands:
                  server: ./server.sh --port 80{{plugin.Length}}
                  get: ./get.sh
                  process: ./process.sh
                  push: ./push.sh
                apps:
                  - name: {{plugin}}-server
                    run: server
                """, executable: false);
        }
    }

    public void Dispose() => _dir.Dispose();

    private string Step(string plugin, string command) => $"(cd '{_dir.Combine("plugins/" + plugin)}' && ./{command}.sh)";

    [Fact]
    public void A_service_runs_a_command_of_its_plugin_in_the_plugin_folder()
    {
        var loaded = _dir.LoadFile("include: plugins/*/sup.yaml\n");

        var server = loaded.Apps.Single(a => a.Name == "twitter-server");
        Assert.Equal(AppKind.Service, server.Kind);
        Assert.Equal(_dir.Combine("plugins/twitter/server.sh"), server.FileName);
        Assert.Equal(["--port", "807"], server.Arguments);
        Assert.Equal(_dir.Combine("plugins/twitter"), server.Cwd);
    }

    [Fact]
    public void An_app_in_another_file_runs_a_plugin_command_by_plugin_and_name_in_that_plugin_folder()
    {
        var loaded = _dir.LoadFile("""
            include: plugins/*/sup.yaml
            apps:
              - name: extra-instagram
                run: instagram:server
            """);

        var extra = loaded.Apps.Single(a => a.Name == "extra-instagram");
        Assert.Equal(_dir.Combine("plugins/instagram/server.sh"), extra.FileName);
        Assert.Equal(_dir.Combine("plugins/instagram"), extra.Cwd);
    }

    [Fact]
    public void Steps_may_name_plugin_commands_which_run_in_their_plugin_folders_in_order()
    {
        var loaded = _dir.LoadFile("""
            include: plugins/*/sup.yaml
            apps:
              - name: social
                steps: [twitter:get, twitter:process, "echo done", twitter:push]
                every: 6h
            """);

        var job = loaded.Apps.Single(a => a.Name == "social");
        Assert.Equal([Step("twitter", "get"), Step("twitter", "process"), "echo done", Step("twitter", "push")], job.Job!.Steps);
        Assert.Equal("sh", job.FileName);
        Assert.Equal(["-c", string.Join(" && ", job.Job.Steps)], job.Arguments);
    }

    [Fact]
    public void A_group_job_is_one_job_per_plugin_on_the_same_schedule_each_with_its_own_commands()
    {
        var loaded = _dir.LoadFile("""
            include: plugins/*/sup.yaml
            apps:
              - name: social
                group: [twitter, instagram]
                steps: [get, process, push]
                every: 6h
                jitter: 30m
                active_hours: "07:00-23:00"
            """);

        var jobs = loaded.Apps.Where(a => a.Kind == AppKind.Job).ToList();
        Assert.Equal(["social-twitter", "social-instagram"], jobs.Select(j => j.Name));
        foreach (var plugin in (string[])["twitter", "instagram"])
        {
            var job = jobs.Single(j => j.Name == "social-" + plugin);
            Assert.Equal([Step(plugin, "get"), Step(plugin, "process"), Step(plugin, "push")], job.Job!.Steps);
            Assert.Equal(TimeSpan.FromHours(6), job.Job.Every);
            Assert.Equal(TimeSpan.FromMinutes(30), job.Job.Jitter);
            Assert.Equal("07:00-23:00", job.Job.ActiveHours);
            Assert.Equal(plugin, job.Env["SUP_PLUGIN"]);
        }
    }

    [Fact]
    public void Only_selects_a_whole_group_by_its_name()
    {
        _dir.Write("ecosystem.yaml", "include: plugins/*/sup.yaml\napps:\n  - { name: social, group: [twitter, instagram], steps: [get], cron: \"0 */6 * * *\" }\n", executable: false);

        var loaded = EcosystemLoader.Load(_dir.EcosystemFile, new LoadOptions { BaseEnvironment = _dir.Environment, Only = "social" });

        Assert.Equal(["social-twitter", "social-instagram"], loaded.Apps.Select(a => a.Name));
    }

    [Fact]
    public void A_plugin_is_named_by_plugin_when_given()
    {
        _dir.Write("tools/x/go.sh");
        _dir.Write("tools/x/sup.yaml", "plugin: mail\ncommands: { fetch: ./go.sh }\n", executable: false);

        var loaded = _dir.LoadFile("include: tools/*/sup.yaml\napps:\n  - { name: m, steps: [mail:fetch], every: 1h }\n");

        Assert.Equal([$"(cd '{_dir.Combine("tools/x")}' && ./go.sh)"], loaded.Apps.Single().Job!.Steps);
    }

    [Fact]
    public void Unknown_plugins_and_commands_are_errors_at_their_place_with_what_there_is()
    {
        var problems = _dir.FileProblems("""
            include: plugins/*/sup.yaml
            apps:
              - name: a
                run: twiter:server
              - name: b
                steps: [twitter:fetch]
                every: 1h
              - name: c
                group: [twitter, tiktok]
                steps: [get]
                every: 1h
            """);

        var file = _dir.EcosystemFile;
        Assert.Contains($"{file}:4:10: run: 'twiter:server' names the plugin 'twiter', but there is none (the plugins are: instagram, twitter); a plugin is a file with commands:, read through include:. Did you mean 'twitter'?", problems);
        Assert.Contains($"{file}:6:13: steps: plugin 'twitter' has no command 'fetch'; it has: server, get, process, push.", problems);
        Assert.Contains($"{file}:9:22: group: there is no plugin named 'tiktok' (the plugins are: instagram, twitter).", problems);
    }

    [Fact]
    public void A_group_step_every_plugin_must_have()
    {
        _dir.Write("plugins/mastodon/get.sh");
        _dir.Write("plugins/mastodon/sup.yaml", "commands: { get: ./get.sh }\n", executable: false);

        var problems = _dir.FileProblems("include: plugins/*/sup.yaml\napps:\n  - { name: s, group: [twitter, mastodon], steps: [get, push], every: 1h }\n");

        Assert.Equal($"{_dir.EcosystemFile}:3:57: steps: plugin 'mastodon' (of group) has no command 'push'; it has: get.", Assert.Single(problems));
    }

    [Fact]
    public void Group_needs_a_schedule_and_steps()
    {
        var service = _dir.FileProblems("include: plugins/*/sup.yaml\napps:\n  - { name: s, group: [twitter], steps: [get] }\n");
        var noSteps = _dir.FileProblems("include: plugins/*/sup.yaml\napps:\n  - { name: s, group: [twitter], every: 1h, script: ./x.sh }\n");

        Assert.Contains(service, p => p.Contains("group applies only to jobs", StringComparison.Ordinal));
        Assert.Contains(noSteps, p => p.Contains("group: give steps:", StringComparison.Ordinal));
    }

    [Fact]
    public void Run_without_a_plugin_and_run_with_script_are_errors()
    {
        _dir.Write("x.sh");
        var problems = _dir.FileProblems("apps:\n  - { name: a, run: server }\n  - { name: b, run: twitter:server, script: ./x.sh }\n");

        Assert.Contains(problems, p => p.Contains("run: 'server' is not a plugin command; write PLUGIN:COMMAND", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("give run or script, not both", StringComparison.Ordinal));
    }

    [Fact]
    public void Two_plugins_of_one_name_are_an_error()
    {
        _dir.Write("other/twitter/get.sh");
        _dir.Write("other/twitter/sup.yaml", "commands: { get: ./get.sh }\n", executable: false);

        var problems = _dir.FileProblems("include: [plugins/*/sup.yaml, other/*/sup.yaml]\n");

        Assert.Contains(problems, p => p.Contains($"plugin: 'twitter' is already declared by {_dir.Combine("plugins/twitter/sup.yaml")}", StringComparison.Ordinal));
    }
}
