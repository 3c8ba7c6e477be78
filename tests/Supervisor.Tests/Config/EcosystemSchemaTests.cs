using System.Text.Json;
using Supervisor.Core.Config;
using Xunit;

namespace Supervisor.Tests.Config;

/// <summary>docs/ecosystem.schema.json and the loader must describe the same file.</summary>
public sealed class EcosystemSchemaTests : IDisposable
{
    private static readonly JsonElement Schema = LoadSchema();
    private static readonly JsonElement AppProperties = Schema.GetProperty("definitions").GetProperty("app").GetProperty("properties");
    private static readonly JsonElement FileProperties = Schema.GetProperty("definitions").GetProperty("file").GetProperty("properties");

    // Keys that must be written and so have no default.
    private static readonly string[] WithoutDefault = ["name", "script", "command"];

    private readonly TempFolder _dir = new();

    public EcosystemSchemaTests() => _dir.Write("run.sh");

    public void Dispose() => _dir.Dispose();

    private static JsonElement LoadSchema()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "Supervisor.sln")))
        {
            folder = folder.Parent;
        }

        Assert.NotNull(folder);
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder.FullName, "docs", "ecosystem.schema.json")));
        return document.RootElement.Clone();
    }

    private static IEnumerable<string> Names(JsonElement properties) => properties.EnumerateObject().Select(p => p.Name);

    [Fact]
    public void The_schema_lists_exactly_the_app_keys_the_loader_knows()
    {
        var loader = EcosystemLoader.KnownAppKeys.Concat(EcosystemKeys.IgnoredPm2.Keys).Order();

        Assert.Equal(loader, Names(AppProperties).Order());
    }

    [Fact]
    public void The_schema_lists_exactly_the_top_level_keys_the_loader_knows()
    {
        Assert.Equal(EcosystemKeys.TopLevel.Concat(EcosystemKeys.IgnoredTopLevel.Keys).Order(), Names(FileProperties).Order());
    }

    [Theory]
    [InlineData("retry")]
    [InlineData("on_file")]
    [InlineData("detect_external")]
    public void The_schema_lists_exactly_the_nested_keys_the_loader_knows(string key)
    {
        var loader = key switch
        {
            "retry" => EcosystemKeys.Retry,
            "detect_external" => EcosystemKeys.DetectExternal,
            _ => EcosystemKeys.OnFile,
        };

        Assert.Equal(loader.Order(), Names(AppProperties.GetProperty(key).GetProperty("properties")).Order());
    }

    [Fact]
    public void The_schema_allows_env_profiles_and_nothing_else()
    {
        var app = Schema.GetProperty("definitions").GetProperty("app");

        Assert.Equal(["^env_.+$"], Names(app.GetProperty("patternProperties")));
        Assert.False(app.GetProperty("additionalProperties").GetBoolean());
    }

    [Fact]
    public void Every_key_has_a_type_a_description_and_a_default()
    {
        foreach (var property in AppProperties.EnumerateObject().Concat(FileProperties.EnumerateObject()))
        {
            Assert.True(property.Value.TryGetProperty("type", out _), $"{property.Name} has no type");
            Assert.False(string.IsNullOrWhiteSpace(property.Value.GetProperty("description").GetString()), $"{property.Name} has no description");
            Assert.True(
                property.Value.TryGetProperty("default", out _) || WithoutDefault.Contains(property.Name),
                $"{property.Name} has no default");
        }
    }

    [Fact]
    public void Pm2_keys_the_loader_ignores_are_described_as_ignored()
    {
        foreach (var key in EcosystemKeys.IgnoredPm2.Keys)
        {
            Assert.StartsWith("Ignored (PM2 compatibility)", AppProperties.GetProperty(key).GetProperty("description").GetString());
        }
    }

    /// <summary>Writing a key with its documented default must change nothing.</summary>
    [Fact]
    public void Every_documented_default_is_the_loaders_default()
    {
        foreach (var key in EcosystemLoader.KnownAppKeys.Except(WithoutDefault))
        {
            var value = AppProperties.GetProperty(key).GetProperty("default").GetRawText();
            var job = EcosystemKeys.JobOnly.Contains(key) ? ", every: 1h" : "";
            var without = _dir.Load($"apps: [{{ name: a, script: run.sh{job} }}]").Apps[0];

            var with = _dir.Load($"apps: [{{ name: a, script: run.sh{job}, {key}: {value} }}]").Apps[0];

            Assert.True(AppSpecDiff.Changes(without, with).Count == 0, $"{key}: {value} is not the loader's default");
            Assert.Equal(without.Arguments, with.Arguments);
        }
    }

    [Fact]
    public void The_documented_retry_and_watch_config_defaults_are_the_loaders()
    {
        var retry = AppProperties.GetProperty("retry").GetProperty("properties");
        var delay = Duration.Parse(retry.GetProperty("delay").GetProperty("default").GetString()!);
        var multiplier = retry.GetProperty("multiplier").GetProperty("default").GetDouble();

        var loaded = _dir.Load("watch_config: false\napps: [{ name: a, script: run.sh, every: 1h, retry: { attempts: 2 } }]");

        Assert.Equal(new RetrySpec(2, delay, multiplier), loaded.Apps[0].Job!.Retry);
        Assert.Equal(FileProperties.GetProperty("watch_config").GetProperty("default").GetBoolean(), loaded.WatchConfig);
    }
}
