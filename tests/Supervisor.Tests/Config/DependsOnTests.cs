using Supervisor.Core.Config;
using Xunit;

namespace Supervisor.Tests.Config;

public sealed class DependsOnTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public DependsOnTests() => _dir.Write("run.sh");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void A_list_waits_for_each_app_to_be_ready()
    {
        var apps = _dir.Load("""
            apps:
              - { name: api, script: run.sh, depends_on: [db, cache] }
              - { name: db, script: run.sh }
              - { name: cache, script: run.sh }
            """).Apps;

        Assert.Equal(
            [new Dependency("db", DependencyCondition.Ready), new Dependency("cache", DependencyCondition.Ready)],
            apps[0].DependsOn);
    }

    [Fact]
    public void A_mapping_says_ready_or_started_per_app()
    {
        var api = _dir.Load("""
            apps:
              - name: api
                script: run.sh
                depends_on: { db: started, cache: ready }
              - { name: db, script: run.sh }
              - { name: cache, script: run.sh }
            """).Apps[0];

        Assert.Equal(
            [new Dependency("db", DependencyCondition.Started), new Dependency("cache", DependencyCondition.Ready)],
            api.DependsOn);
    }

    [Fact]
    public void A_cycle_is_a_load_error_at_the_name_that_closes_it()
    {
        var problems = _dir.Problems("""
            apps:
              - { name: a, script: run.sh, depends_on: [b] }
              - { name: b, script: run.sh, depends_on: [c] }
              - { name: c, script: run.sh, depends_on: [a] }
            """);

        Assert.Equal(["4:45: depends_on has a cycle: a -> b -> c -> a; no app of it could start first."], problems);
    }

    [Fact]
    public void An_unknown_name_is_a_load_error_with_a_suggestion()
    {
        var problems = _dir.Problems("""
            apps:
              - { name: api, script: run.sh, depends_on: [dbb] }
              - { name: db, script: run.sh }
            """);

        Assert.Equal(["2:47: depends_on: there is no app named 'dbb' in this file. Did you mean 'db'?"], problems);
    }

    [Fact]
    public void An_app_cannot_depend_on_itself()
    {
        var problems = _dir.Problems("apps: [{ name: a, script: run.sh, depends_on: [a] }]");

        Assert.Equal(["1:48: depends_on: 'a' cannot depend on itself."], problems);
    }

    [Fact]
    public void A_condition_other_than_ready_or_started_is_an_error()
    {
        var problems = _dir.Problems("""
            apps:
              - { name: api, script: run.sh, depends_on: { db: healthy } }
              - { name: db, script: run.sh }
            """);

        Assert.Equal(["2:52: depends_on.db must be ready or started."], problems);
    }
}
