using Supervisor.Core;
using Supervisor.Core.Config;
using Supervisor.Core.Config.Js;
using Xunit;

namespace Supervisor.Tests.Config;

/// <summary>
/// PM2's ecosystem.config.js loaded as PM2 users write it, in process: what the apps become, and
/// what a broken or hostile file gets (a line and column in the JS, never a hang).
/// </summary>
public sealed class JsEcosystemFileTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    private Ecosystem Load(string file, string js, LoadOptions? options = null, IReadOnlyDictionary<string, string>? env = null)
    {
        var path = _dir.Write(file, js, executable: false);
        return EcosystemLoader.Load(path, (options ?? new LoadOptions()) with { BaseEnvironment = env ?? _dir.Environment });
    }

    private string Problem(string file, string js)
    {
        var path = _dir.Write(file, js, executable: false);
        var error = Assert.Throws<SupException>(() => EcosystemLoader.Load(path, new LoadOptions { BaseEnvironment = _dir.Environment }));
        Assert.Equal(SupError.InvalidConfig, error.Error);
        Assert.Equal($"{path} has 1 problem; nothing was started.", error.Message);
        var line = Assert.Single(error.Details);
        Assert.StartsWith(path, line);
        return line[path.Length..];
    }

    [Fact]
    public void A_typical_pm2_file_with_require_dirname_spreads_and_map_loads_as_pm2_reads_it()
    {
        _dir.Write("app.sh");
        var ecosystem = Load("ecosystem.config.js", """
            const path = require('path');
            const os = require('node:os');
            const common = { interpreter: 'sh', env: { NODE_ENV: 'development' } };
            module.exports = {
              apps: [
                { name: 'api', script: path.join(__dirname, 'app.sh'), ...common, env: { ...common.env, PORT: 3000 } },
                ...['mail', 'feed'].map((kind, i) => ({ name: `${kind}-worker`, script: './app.sh', ...common, env: { PORT: 4000 + i } })),
                { name: 'cpus', script: './app.sh', interpreter: 'sh', env: { CPUS: String(os.cpus().length) } },
              ],
            };
            """);

        Assert.Equal(["api", "mail-worker", "feed-worker", "cpus"], ecosystem.Apps.Select(a => a.Name));
        var api = ecosystem.Apps[0];
        Assert.Equal(_dir.Combine("app.sh"), api.Script);
        Assert.Equal("development", api.Env["NODE_ENV"]);
        Assert.Equal("3000", api.Env["PORT"]);
        Assert.Equal("4001", ecosystem.Apps[2].Env["PORT"]);
        Assert.Equal(Environment.ProcessorCount.ToString(System.Globalization.CultureInfo.InvariantCulture), ecosystem.Apps[3].Env["CPUS"]);
    }

    [Fact]
    public void Env_profiles_and_only_select_as_for_a_yaml_file()
    {
        _dir.Write("app.sh");
        const string js = """
            module.exports = { apps: [
              { name: 'web', script: './app.sh', interpreter: 'sh', env: { MODE: 'dev' }, env_production: { MODE: 'prod' } },
              { name: 'cron', script: './app.sh', interpreter: 'sh' },
            ] };
            """;

        var ecosystem = Load("ecosystem.config.js", js, new LoadOptions { EnvProfile = "production", Only = "web" });

        var web = Assert.Single(ecosystem.Apps);
        Assert.Equal("web", web.Name);
        Assert.Equal("prod", web.Env["MODE"]);
    }

    [Fact]
    public void Process_env_spread_into_an_app_keeps_only_what_differs_from_the_environment_it_inherits()
    {
        _dir.Write("app.sh");
        var env = new Dictionary<string, string>(_dir.Environment) { ["SECRET_TOKEN"] = "s3cr3t", ["LANG"] = "C.UTF-8" };

        var ecosystem = Load("ecosystem.config.js", """
            module.exports = { apps: [ { name: 'web', script: './app.sh', interpreter: 'sh',
              env: { ...process.env, LANG: 'en_US.UTF-8', PORT: process.env.PORT || 8080 } } ] };
            """, env: env);

        var web = Assert.Single(ecosystem.Apps);
        Assert.Equal(new Dictionary<string, string> { ["LANG"] = "en_US.UTF-8", ["PORT"] = "8080" }, web.Env);
    }

    [Fact]
    public void Export_default_in_an_mjs_file_with_imports_of_path_loads()
    {
        _dir.Write("bin/app.sh");
        var ecosystem = Load("ecosystem.config.mjs", """
            import path from 'path';
            import { join } from 'node:path';
            export default { apps: [ { name: 'esm', script: join('bin', path.basename('/x/app.sh')), interpreter: 'sh' } ] };
            """);

        Assert.Equal(_dir.Combine("bin/app.sh"), Assert.Single(ecosystem.Apps).Script);
    }

    [Fact]
    public void Relative_requires_of_js_and_json_files_and_dotenv_work_from_the_files_folder()
    {
        _dir.Write("app.sh");
        _dir.Write("config/ports.json", """{ "web": 5000 }""", executable: false);
        _dir.Write("config/base.js", "module.exports = (name) => ({ name, script: './app.sh', interpreter: 'sh' });", executable: false);
        _dir.Write(".env", "# the API key\nAPI_KEY=\"abc 123\"\nexport REGION=eu # inline comment\n", executable: false);

        var ecosystem = Load("ecosystem.config.js", """
            require('dotenv').config();
            const ports = require('./config/ports.json');
            const app = require('./config/base');
            module.exports = { apps: [ { ...app('web'), env: { PORT: ports.web, API_KEY: process.env.API_KEY, REGION: process.env.REGION } } ] };
            """);

        var web = Assert.Single(ecosystem.Apps);
        Assert.Equal("5000", web.Env["PORT"]);
        Assert.Equal("abc 123", web.Env["API_KEY"]);
        Assert.Equal("eu", web.Env["REGION"]);
    }

    [Fact]
    public void A_syntax_error_points_at_the_js_line_and_column()
    {
        var problem = Problem("ecosystem.config.js", "const a = 1;\nmodule.exports = { apps: [ { name: 'x' script: './a.sh' } ] };\n");

        Assert.Equal(":2:40: Unexpected identifier 'script'", problem);
    }

    [Fact]
    public void An_error_thrown_by_the_file_points_at_the_throw()
    {
        var problem = Problem("ecosystem.config.js", "const ok = true;\n\n  throw new Error('no PORT set');\n");

        Assert.Equal(":3:9: no PORT set", problem);
    }

    [Fact]
    public void Requiring_a_package_sup_does_not_provide_names_the_line_and_what_there_is()
    {
        var problem = Problem("ecosystem.config.js", "const path = require('path');\nconst express = require('express');\n");

        Assert.StartsWith(":2:", problem);
        Assert.Contains("Cannot find module 'express': sup runs ecosystem files without node and provides path, os, fs, dotenv", problem);
    }

    [Fact]
    public void Requiring_a_file_that_cannot_be_read_is_a_problem_at_the_line_not_a_crash()
    {
        _dir.Write("huge.json", new string(' ', (int)EcosystemLimits.MaxFileBytes + 1), executable: false);

        var problem = Problem("ecosystem.config.js", "const a = 1;\nconst big = require('./huge.json');\n");

        Assert.StartsWith(":2:", problem);
        Assert.Contains("Cannot read module './huge.json'", problem);
    }

    [Fact]
    public void An_endless_loop_is_stopped_and_reported_instead_of_hanging_the_daemon()
    {
        var problem = Problem("ecosystem.config.js", "while (true) {}\n");

        Assert.Contains("an ecosystem file must finish at once", problem);
    }

    [Fact]
    public void A_file_that_allocates_without_end_is_stopped_by_the_memory_limit()
    {
        var problem = Problem("ecosystem.config.js", "const a = [];\nwhile (true) a.push('x'.repeat(10000000) + a.length);\n");

        Assert.Contains("more than 256 MiB", problem);
    }

    [Fact]
    public void A_file_that_exports_something_else_than_an_object_says_what_to_export()
    {
        var problem = Problem("ecosystem.config.js", "module.exports = 42;\n");

        Assert.Equal(":1:1: The file exports a number; an ecosystem file exports an object: module.exports = { apps: [ ... ] }.", problem);
    }

    [Fact]
    public void A_file_that_exports_no_apps_is_told_so_like_a_yaml_file()
    {
        var problem = Problem("ecosystem.config.js", "const apps = [];\n");

        Assert.Equal(": the exported object: There is no apps: key; list the apps under it.", problem);
    }

    [Fact]
    public void A_bad_key_is_reported_at_its_path_with_the_apps_name()
    {
        _dir.Write("app.sh");

        var problem = Problem("ecosystem.config.js", """
            module.exports = { apps: [
              { name: 'ok', script: './app.sh', interpreter: 'sh' },
              { name: 'worker', script: './app.sh', interpreter: 'sh', max_restrats: 3 },
            ] };
            """);

        Assert.Equal(": apps[1] (worker).max_restrats: Unknown key 'max_restrats' in an app; did you mean 'max_restarts'?", problem);
    }

    [Theory]
    [InlineData("ecosystem.config.js", true)]
    [InlineData("pm2.config.cjs", true)]
    [InlineData("ecosystem.config.mjs", true)]
    [InlineData("process.yml", true)]
    [InlineData("app.json", true)]
    [InlineData("app.js", false)]
    [InlineData("server.mjs", false)]
    [InlineData("worker.sh", false)]
    public void Sup_start_treats_files_as_pm2_does(string file, bool isEcosystem)
    {
        Assert.Equal(isEcosystem, Supervisor.Cli.Commands.StartCommand.IsEcosystemFile(file));
    }
}

/// <summary>Node's path module, against what Node 20 prints for the same calls.</summary>
public sealed class NodePathTests
{
    [Theory]
    [InlineData(new[] { "/foo", "bar", "baz/asdf", "quux", ".." }, "/foo/bar/baz/asdf")]
    [InlineData(new[] { "a", "", "b/" }, "a/b/")]
    [InlineData(new[] { "..", "a", "../../b" }, "../../b")]
    [InlineData(new string[0], ".")]
    public void Join(string[] parts, string expected) => Assert.Equal(expected, NodePath.Join(parts));

    [Theory]
    [InlineData(new[] { "/foo/bar", "./baz" }, "/foo/bar/baz")]
    [InlineData(new[] { "/foo/bar", "/tmp/file/" }, "/tmp/file")]
    [InlineData(new[] { "wwwroot", "static_files/png/", "../gif/image.gif" }, "/home/me/wwwroot/static_files/gif/image.gif")]
    [InlineData(new string[0], "/home/me")]
    public void Resolve_from_the_files_folder(string[] parts, string expected) => Assert.Equal(expected, NodePath.Resolve("/home/me", parts));

    [Theory]
    [InlineData("/foo/bar/baz/asdf/quux", "/foo/bar/baz/asdf")]
    [InlineData("/a", "/")]
    [InlineData("a", ".")]
    [InlineData("/a/b/", "/a")]
    public void Dirname(string path, string expected) => Assert.Equal(expected, NodePath.Dirname(path));

    [Theory]
    [InlineData("/foo/bar/baz/asdf/quux.html", null, "quux.html")]
    [InlineData("/foo/bar/baz/asdf/quux.html", ".html", "quux")]
    [InlineData("/a/b/", null, "b")]
    public void Basename(string path, string? ext, string expected) => Assert.Equal(expected, NodePath.Basename(path, ext));

    [Theory]
    [InlineData("index.html", ".html")]
    [InlineData("index.coffee.md", ".md")]
    [InlineData("index.", ".")]
    [InlineData("index", "")]
    [InlineData(".index", "")]
    public void Extname(string path, string expected) => Assert.Equal(expected, NodePath.Extname(path));

    [Fact]
    public void Relative() => Assert.Equal("../../impl/bbb", NodePath.Relative("/", "/data/orandea/test/aaa", "/data/orandea/impl/bbb"));
}
