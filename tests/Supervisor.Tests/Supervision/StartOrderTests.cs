using Supervisor.Core.Config;
using Supervisor.Core.Supervision;
using Xunit;

namespace Supervisor.Tests.Supervision;

public sealed class StartOrderTests
{
    private static KeyValuePair<string, IReadOnlyList<string>> App(string name, params string[] dependsOn) => new(name, dependsOn);

    [Fact]
    public void Dependencies_come_first_and_file_order_is_kept_otherwise()
    {
        var order = StartOrder.Of([App("web", "api"), App("worker"), App("api", "db"), App("db")], out var cycle);

        Assert.Null(cycle);
        Assert.Equal(["db", "api", "web", "worker"], order);
    }

    [Fact]
    public void A_cycle_is_named_from_where_it_starts_back_to_itself()
    {
        var order = StartOrder.Of([App("x"), App("a", "b"), App("b", "c"), App("c", "b")], out var cycle);

        Assert.Null(order);
        Assert.Equal(["b", "c", "b"], cycle);
    }

    [Fact]
    public void Every_instance_of_a_dependency_starts_before_the_dependant()
    {
        AppSpec Spec(string name, string? instance = null, params string[] dependsOn) => new()
        {
            Name = name,
            FileName = "/bin/true",
            Arguments = [],
            Cwd = "/",
            Env = instance is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["SUP_INSTANCE"] = instance },
            DependsOn = [.. dependsOn.Select(d => new Dependency(d, DependencyCondition.Ready))],
        };

        var sorted = StartOrder.Sort([Spec("api", null, "db"), Spec("db-0", "0"), Spec("db-1", "1"), Spec("dbx")]);

        Assert.Equal(["db-0", "db-1", "api", "dbx"], sorted.Select(s => s.Name));
    }
}
