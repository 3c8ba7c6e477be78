using Supervisor.Core.Config;
using Xunit;

namespace Supervisor.Tests.Config;

public sealed class DetectExternalTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public DetectExternalTests() => _dir.Write("run.sh");

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("\"python3 .*server.py\"", "python3 .*server.py", null)]
    [InlineData("{ port: 8081 }", null, 8081)]
    [InlineData("{ pattern: server, port: 80 }", "server", 80)]
    public void The_pattern_and_port_forms_load(string value, string? pattern, int? port)
    {
        var app = _dir.Load($"apps: [{{ name: a, script: run.sh, detect_external: {value} }}]").Apps.Single();

        Assert.Equal(new ExternalSpec(pattern, port), app.DetectExternal);
    }

    [Theory]
    [InlineData("\"(\"", "1:52: detect_external: '(' is not a regular expression")]
    [InlineData("\" \"", "1:52: detect_external must not be empty")]
    [InlineData("{ port: 70000 }", "1:60: detect_external.port")]
    [InlineData("{ }", "1:52: detect_external needs pattern:")]
    [InlineData("{ pattern: x, prot: 1 }", "1:66: Unknown key 'prot'")]
    public void Bad_values_are_errors_at_their_place(string value, string expected)
    {
        var problems = _dir.Problems($"apps: [{{ name: a, script: run.sh, detect_external: {value} }}]");

        Assert.StartsWith(expected, Assert.Single(problems));
    }

    [Fact]
    public void Sup_save_keeps_detect_external()
    {
        var app = _dir.Load("apps: [{ name: a, script: run.sh, detect_external: { pattern: 'srv --port', port: 8081 } }]").Apps.Single();

        var again = EcosystemLoader.Parse(EcosystemWriter.ToYaml([app], null), "/tmp/dump.yaml", new LoadOptions { BaseEnvironment = _dir.Environment }).Apps.Single();

        Assert.Equal(new ExternalSpec("srv --port", 8081), again.DetectExternal);
    }

    [Fact]
    public void A_change_of_detect_external_is_a_change_of_the_app()
    {
        var before = _dir.Load("apps: [{ name: a, script: run.sh }]").Apps.Single();
        var after = _dir.Load("apps: [{ name: a, script: run.sh, detect_external: { port: 8081 } }]").Apps.Single();

        Assert.Equal(["detect_external"], AppSpecDiff.Changes(before, after));
    }
}
