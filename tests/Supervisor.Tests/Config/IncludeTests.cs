using Supervisor.Core;
using Supervisor.Core.Config;
using Xunit;

namespace Supervisor.Tests.Config;

/// <summary>include: at file level: drop-in files read with the main one, each relative to itself.</summary>
public sealed class IncludeTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Included_files_add_their_apps_with_paths_relative_to_themselves()
    {
        _dir.Write("plugins/twitter/server.sh");
        _dir.Write("plugins/twitter/sup.yaml", "apps:\n  - { name: twitter-server, script: ./server.sh }\n", executable: false);
        _dir.Write("plugins/instagram/server.sh");
        _dir.Write("plugins/instagram/sup.yaml", "apps:\n  - { name: instagram-server, script: ./server.sh, out_file: logs/out.log }\n", executable: false);
        _dir.Write("conf.d/worker.sh");
        _dir.Write("conf.d/worker.yaml", "apps:\n  - { name: worker, script: ./worker.sh }\n", executable: false);
        _dir.Write("main.sh");

        var loaded = _dir.LoadFile("""
            include: ["plugins/*/sup.yaml", "conf.d/*.yaml"]
            apps:
              - { name: main, script: ./main.sh }
            """);

        Assert.Equal(["main", "instagram-server", "twitter-server", "worker"], loaded.Apps.Select(a => a.Name));
        var instagram = loaded.Apps.Single(a => a.Name == "instagram-server");
        Assert.Equal(_dir.Combine("plugins/instagram/server.sh"), instagram.Script);
        Assert.Equal(_dir.Combine("plugins/instagram"), instagram.Cwd);
        Assert.Equal(_dir.Combine("plugins/instagram/logs/out.log"), instagram.OutFile);
        Assert.Equal(_dir.Combine("conf.d"), loaded.Apps.Single(a => a.Name == "worker").Cwd);
        // The daemon reloads and prunes apps by the file given to sup start.
        Assert.All(loaded.Apps, app => Assert.Equal(_dir.EcosystemFile, app.SourceFile));
        Assert.Equal(
            [_dir.Combine("plugins/instagram/sup.yaml"), _dir.Combine("plugins/twitter/sup.yaml"), _dir.Combine("conf.d/worker.yaml")],
            loaded.Included);
    }

    [Fact]
    public void A_glob_that_matches_nothing_is_fine_and_a_file_of_includes_needs_no_apps()
    {
        var loaded = _dir.LoadFile("include: [\"conf.d/*.yaml\", plugins/*/sup.yaml]\n");

        Assert.Empty(loaded.Apps);
        Assert.Empty(loaded.Included);
    }

    [Fact]
    public void A_problem_in_an_included_file_names_that_file_and_its_line_and_column()
    {
        _dir.Write("conf.d/bad.yaml", "apps:\n  - name: bad\n    script: ./missing.sh\n    max_restarts: lots\n", executable: false);

        var problems = _dir.FileProblems("include: conf.d/*.yaml\napps: []\n");

        var file = _dir.Combine("conf.d/bad.yaml");
        Assert.Contains(problems, p => p.StartsWith($"{file}:3:13: script:", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith($"{file}:4:19: max_restarts", StringComparison.Ordinal));
    }

    [Fact]
    public void Invalid_yaml_in_an_included_file_is_reported_at_its_place()
    {
        _dir.Write("conf.d/broken.yaml", "apps:\n  - { name: a, script: [\n", executable: false);

        var problems = _dir.FileProblems("include: conf.d/*.yaml\napps: []\n");

        var single = Assert.Single(problems);
        Assert.StartsWith(_dir.Combine("conf.d/broken.yaml") + ":", single);
        Assert.Contains("This is not valid YAML", single);
    }

    [Fact]
    public void A_cycle_of_includes_is_an_error_at_the_include_that_closes_it()
    {
        _dir.Write("a.yaml", "include: b.yaml\n", executable: false);
        _dir.Write("b.yaml", "include: [a.yaml]\n", executable: false);

        var problems = _dir.FileProblems("include: a.yaml\napps: []\n");

        var single = Assert.Single(problems);
        Assert.Equal($"{_dir.Combine("b.yaml")}:1:11: include: 'a.yaml' matches {_dir.Combine("a.yaml")}, which is already being read: the includes form a cycle (a.yaml -> b.yaml -> a.yaml).", single);
    }

    [Fact]
    public void A_file_that_includes_itself_is_a_cycle()
    {
        var problems = _dir.FileProblems("include: \"*.yaml\"\napps: []\n");

        Assert.Contains("the includes form a cycle (ecosystem.yaml -> ecosystem.yaml)", Assert.Single(problems));
    }

    [Fact]
    public void A_file_included_twice_is_read_once()
    {
        _dir.Write("shared/run.sh");
        _dir.Write("shared/common.yaml", "apps:\n  - { name: common, script: ./run.sh }\n", executable: false);
        _dir.Write("a.yaml", "include: shared/common.yaml\n", executable: false);

        var loaded = _dir.LoadFile("include: [a.yaml, shared/*.yaml]\n");

        Assert.Equal(["common"], loaded.Apps.Select(a => a.Name));
    }

    [Fact]
    public void An_app_name_used_in_two_files_is_an_error_naming_the_first_file()
    {
        _dir.Write("run.sh");
        _dir.Write("conf.d/run.sh");
        _dir.Write("conf.d/dup.yaml", "apps:\n  - { name: web, script: ./run.sh }\n", executable: false);

        var problems = _dir.FileProblems("include: conf.d/dup.yaml\napps:\n  - { name: web, script: ./run.sh }\n");

        Assert.Equal($"{_dir.Combine("conf.d/dup.yaml")}:2:13: name: 'web' is already used by the app at line 3 of {_dir.EcosystemFile}; names must be unique.", Assert.Single(problems));
    }

    [Fact]
    public void Include_in_an_ecosystem_config_js_is_refused_with_one_clear_line()
    {
        var file = _dir.Write("ecosystem.config.js", "module.exports = { include: ['conf.d/*.yaml'], apps: [] };\n", executable: false);

        var error = Assert.Throws<SupException>(() => EcosystemLoader.Load(file, new LoadOptions { BaseEnvironment = _dir.Environment }));

        var single = Assert.Single(error.Details);
        Assert.Contains("include: is read from YAML and JSON ecosystem files only", single);
        Assert.StartsWith(file + ":", single);
    }

    [Fact]
    public void Include_works_from_a_json_file()
    {
        _dir.Write("conf.d/run.sh");
        _dir.Write("conf.d/a.yaml", "apps:\n  - { name: a, script: ./run.sh }\n", executable: false);
        var file = _dir.Write("ecosystem.json", "{ \"include\": [\"conf.d/*.yaml\"], \"apps\": [] }\n", executable: false);

        var loaded = EcosystemLoader.Load(file, new LoadOptions { BaseEnvironment = _dir.Environment });

        Assert.Equal(["a"], loaded.Apps.Select(a => a.Name));
    }

    [Fact]
    public void The_included_files_are_found_without_reading_apps_for_a_restored_watch()
    {
        _dir.Write("conf.d/a.yaml", "include: ../more/*.yaml\napps: [{ name: a, script: ./missing.sh }]\n", executable: false);
        _dir.Write("more/b.yaml", "apps: []\n", executable: false);
        _dir.Write("ecosystem.yaml", "include: conf.d/*.yaml\n", executable: false);

        var (files, globs) = EcosystemLoader.IncludedFiles(_dir.EcosystemFile);
        Assert.Equal([_dir.Combine("conf.d/a.yaml"), _dir.Combine("more/b.yaml")], files);
        Assert.Equal([new IncludeGlob(_dir.Combine("conf.d"), "*.yaml"), new IncludeGlob(_dir.Combine("more"), "*.yaml")], globs);
        Assert.Empty(EcosystemLoader.IncludedFiles(_dir.Combine("nowhere.yaml")).Files);
    }

    [Fact]
    public void Include_must_be_globs()
    {
        var problems = _dir.FileProblems("include: { a: b }\napps: []\n");

        Assert.Contains("include", Assert.Single(problems));
    }
}
