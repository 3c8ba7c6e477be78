using Supervisor.Core.Config;
using Xunit;

namespace Supervisor.Tests.Config;

public sealed class AppSpecDiffTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public AppSpecDiffTests() => _dir.Write("run.sh");

    public void Dispose() => _dir.Dispose();

    private AppSpec App(string keys) => _dir.Load($"apps: [{{ name: a, script: run.sh{keys} }}]").Apps[0];

    [Fact]
    public void The_same_file_loaded_twice_has_no_changes()
    {
        const string keys = ", args: [x], env: { A: '1' }, every: 1h, retry: { attempts: 2 }, steps: null";

        Assert.Empty(AppSpecDiff.Changes(App(keys), App(keys)));
    }

    [Fact]
    public void Changed_keys_are_named_as_in_the_file()
    {
        var before = App(", args: [x], kill_timeout: 5s, cron: '0 9 * * *'");
        var after = App(", args: [y], kill_timeout: 6s, cron: '0 10 * * *'");

        Assert.Equal(["args", "kill_timeout", "cron"], AppSpecDiff.Changes(before, after));
    }

    [Fact]
    public void Env_changes_name_each_variable_but_never_its_value()
    {
        var before = App(", env: { KEEP: same, GONE: x, CHANGED: old }");
        var after = App(", env: { KEEP: same, CHANGED: new, ADDED: y }");

        var changes = AppSpecDiff.Changes(before, after);

        Assert.Equal(["env.ADDED", "env.CHANGED", "env.GONE"], changes);
        Assert.DoesNotContain(changes, c => c.Contains("old") || c.Contains("new"));
    }

    [Fact]
    public void A_service_becoming_a_job_names_its_trigger()
    {
        Assert.Equal(["every"], AppSpecDiff.Changes(App(""), App(", every: 6h")));
    }

    [Fact]
    public void The_source_file_is_ignored()
    {
        var app = App("");

        Assert.Empty(AppSpecDiff.Changes(app, app with { SourceFile = "/elsewhere/ecosystem.yaml" }));
    }

    [Fact]
    public void A_different_program_for_the_same_words_is_a_change()
    {
        var app = App("");

        Assert.Equal(["script"], AppSpecDiff.Changes(app, app with { FileName = "/usr/local/bin/sh" }));
    }
}
