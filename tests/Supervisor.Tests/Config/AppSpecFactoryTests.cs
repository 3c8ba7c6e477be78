using Supervisor.Core;
using Supervisor.Core.Config;
using Xunit;

namespace Supervisor.Tests.Config;

public sealed class AppSpecFactoryTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void A_script_relative_to_cwd_runs_through_its_inferred_interpreter()
    {
        _dir.Write("jobs/task.py", "", executable: false);

        var app = AppSpecFactory.AdHoc("jobs/task.py", "task", ["--once", "x y"], _dir.Path, _dir.Environment);

        Assert.Equal("task", app.Name);
        Assert.Equal("python3", app.Interpreter);
        Assert.Equal(_dir.Combine(".bin/python3"), app.FileName);
        Assert.Equal([_dir.Combine("jobs/task.py"), "--once", "x y"], app.Arguments);
        Assert.Equal(_dir.Path, app.Cwd);
        Assert.Null(app.SourceFile);
        Assert.Equal(AppKind.Service, app.Kind);
    }

    [Fact]
    public void A_program_on_path_is_started_directly()
    {
        var app = AppSpecFactory.AdHoc("sleep", "nap", ["60"], _dir.Path);

        Assert.True(Path.IsPathRooted(app.FileName));
        Assert.EndsWith("/sleep", app.FileName);
        Assert.Equal(["60"], app.Arguments);
    }

    [Fact]
    public void The_environment_given_is_the_apps_env()
    {
        _dir.Write("run.sh");

        var app = AppSpecFactory.AdHoc("./run.sh", "r", [], _dir.Path, new Dictionary<string, string> { ["A"] = "1" });

        Assert.Equal("1", app.Env["A"]);
    }

    [Theory]
    [InlineData("nowhere-to-be-found-xyz", "'nowhere-to-be-found-xyz' was not found")]
    [InlineData("./missing.sh", "'./missing.sh' does not exist")]
    public void A_script_that_cannot_be_found_is_a_bad_argument_naming_it(string script, string expected)
    {
        var error = Assert.Throws<SupException>(() => AppSpecFactory.AdHoc(script, "x", [], _dir.Path));

        Assert.Equal(SupError.BadArgument, error.Error);
        Assert.Contains(expected, error.Message);
    }

    [Theory]
    [InlineData("-v")]
    [InlineData("a/b")]
    [InlineData("all")]
    public void An_invalid_name_is_a_bad_argument(string name)
    {
        var error = Assert.Throws<SupException>(() => AppSpecFactory.AdHoc("sleep", name, [], _dir.Path));

        Assert.Equal(SupError.BadArgument, error.Error);
        Assert.Contains($"'{name}'", error.Message);
    }
}
