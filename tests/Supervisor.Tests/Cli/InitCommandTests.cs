using Xunit;
using Supervisor.Cli.Commands;
using Supervisor.Core;
using Supervisor.Core.Config;

namespace Supervisor.Tests.Cli;

/// <summary>`sup init`'s starter file.</summary>
public sealed class InitCommandTests : IDisposable
{
    private readonly string _dir = Path.Combine("/tmp", "sup-t-" + Guid.NewGuid().ToString("N")[..8]);

    public InitCommandTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void The_starter_file_loads_without_errors_or_warnings()
    {
        var path = Path.Combine(_dir, InitCommand.FileName);
        InitCommand.Write(path);

        var ecosystem = EcosystemLoader.Load(path, new LoadOptions());

        Assert.Empty(ecosystem.Warnings);
        Assert.Equal(["hello", "tick"], ecosystem.Apps.Select(a => a.Name));
        Assert.Equal(AppKind.Service, ecosystem.Apps[0].Kind);
        Assert.Equal("*/15 * * * *", ecosystem.Apps[1].Job?.Cron);
        // Both run with sh: nothing else to install or create.
        Assert.All(ecosystem.Apps, a => Assert.Equal("sh", Path.GetFileName(a.FileName)));
    }

    [Fact]
    public void Every_line_is_commented_to_explain_itself()
    {
        var comments = InitCommand.Template.Split('\n').Count(l => l.TrimStart().StartsWith('#'));

        Assert.True(comments >= 15, $"only {comments} comment lines");
    }

    [Fact]
    public void The_commented_ready_and_health_examples_load_when_uncommented()
    {
        var examples = InitCommand.Template.Split('\n')
            .Select(l => l.Trim())
            .Where(l => l.StartsWith("# ready:", StringComparison.Ordinal) || l.StartsWith("# health:", StringComparison.Ordinal))
            .Select(l => "    " + l[2..])
            .ToList();
        var path = Path.Combine(_dir, "uncommented.yaml");
        File.WriteAllText(path, "apps:\n  - name: hello\n    command: sleep 100\n" + string.Join('\n', examples) + "\n");

        var app = EcosystemLoader.Load(path, new LoadOptions()).Apps[0];

        Assert.Equal(2, examples.Count);
        Assert.Equal(new Supervisor.Core.Readiness.TcpProbeSpec("127.0.0.1", 8080), app.Ready);
        Assert.Equal(new Supervisor.Core.Readiness.HttpProbeSpec(new Uri("http://127.0.0.1:8080/health")), app.Health?.Probe);
    }

    [Fact]
    public void An_existing_file_is_never_overwritten()
    {
        var path = Path.Combine(_dir, InitCommand.FileName);
        File.WriteAllText(path, "apps: []\n");

        var ex = Assert.Throws<SupException>(() => InitCommand.Write(path));

        Assert.Equal(SupError.AlreadyExists, ex.Error);
        Assert.Contains("never overwrites", ex.Message);
        Assert.Equal("apps: []\n", File.ReadAllText(path));
    }
}
