using Supervisor.Tests.TestSupport;
using Xunit;

namespace Supervisor.Tests.EndToEnd;

public sealed class DependsOnSpecs : IAsyncLifetime
{
    private readonly SupHome _sup = SupHome.Create();

    public Task InitializeAsync() => Task.CompletedTask;
    public async Task DisposeAsync() => await _sup.DisposeAsync();

    [Fact]
    public async Task A_cycle_in_depends_on_is_a_load_error_with_its_place_and_starts_nothing()
    {
        _sup.WriteFile("run.sh", "#!/bin/sh\nexec sleep 300\n");
        var file = _sup.WriteFile("ecosystem.yaml", """
            apps:
              - { name: a, script: ./run.sh, depends_on: [b] }
              - { name: b, script: ./run.sh, depends_on: [a] }
            """);

        var result = await _sup.SupAsync("start", file);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains($"{file}:3:47: depends_on has a cycle: a -> b -> a", result.Stderr);
        Assert.DoesNotContain("   at ", result.Stderr);
        Assert.Empty(await _sup.ListAsync());
    }

    [Fact]
    public async Task Apps_with_dependencies_start_and_stop_together()
    {
        _sup.WriteFile("run.sh", "#!/bin/sh\nexec sleep 300\n");
        var file = _sup.WriteFile("ecosystem.yaml", """
            apps:
              - { name: api, script: ./run.sh, depends_on: { db: started } }
              - { name: db, script: ./run.sh }
            """);

        await _sup.OkAsync("start", file);

        var online = await Eventually.ValueAsync(
            async () => (await _sup.ListAsync()).Select(a => $"{a.GetProperty("name").GetString()} {a.GetProperty("status").GetString()}").Order().ToArray(),
            apps => apps.SequenceEqual(["api online", "db online"]), TimeSpan.FromSeconds(20), "both online");
        Assert.Equal(["api online", "db online"], online);
    }
}
