using System.Text.Json;
using System.Text.Json.Serialization;
using Supervisor.Core.Rpc;
using Xunit;

namespace Supervisor.Tests.Rpc;

public sealed partial class RpcParamsTests
{
    [Theory]
    [InlineData("""["web", 3, true, ["a","b"]]""")]
    [InlineData("""{"name":"web","count":3,"force":true,"tags":["a","b"]}""")]
    [InlineData("""{"NAME":"web","Count":3,"FORCE":true,"Tags":["a","b"]}""")]
    public void Positional_and_named_params_read_the_same(string json)
    {
        RpcParams p = Parse(json);

        Assert.Equal("web", p.GetRequiredString(0, "name"));
        Assert.Equal(3, p.GetInt32(1, "count"));
        Assert.True(p.GetBoolean(2, "force"));
        Assert.Equal(["a", "b"], p.GetStringArray(3, "tags")!);
    }

    [Fact]
    public void An_exact_name_wins_over_a_case_insensitive_one()
    {
        RpcParams p = Parse("""{"Name":"loose","name":"exact"}""");

        Assert.Equal("exact", p.GetString(0, "name"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("[]")]
    [InlineData("{}")]
    [InlineData("""{"name":null}""")]
    [InlineData("""[null]""")]
    public void Missing_and_null_params_read_as_null(string? json)
    {
        RpcParams p = json is null ? RpcParams.None : Parse(json);

        Assert.Null(p.GetString(0, "name"));
        Assert.Null(p.GetInt32(0, "name"));
        Assert.Null(p.GetBoolean(0, "name"));
        Assert.Null(p.GetStringArray(0, "name"));
        Assert.Null(p.Get(0, "name"));
    }

    [Fact]
    public void A_missing_required_string_names_the_parameter()
    {
        var ex = Assert.Throws<RpcInvalidParamsException>(() => Parse("{}").GetRequiredString(0, "name"));

        Assert.Equal("name", ex.ParameterName);
        Assert.Equal("The parameter 'name' (position 0) is required.", ex.Message);
    }

    [Theory]
    [InlineData("""[5]""", "The parameter 'name' must be a string.")]
    public void A_value_of_the_wrong_type_is_invalid_params(string json, string expected)
    {
        var ex = Assert.Throws<RpcInvalidParamsException>(() => Parse(json).GetString(0, "name"));

        Assert.Equal(expected, ex.Message);
    }

    [Fact]
    public void Wrong_types_are_refused_for_every_getter()
    {
        RpcParams p = Parse("""["x", 1.5, "yes", ["a", 1], 4294967296]""");

        Assert.Throws<RpcInvalidParamsException>(() => p.GetInt32(0, "a"));
        Assert.Throws<RpcInvalidParamsException>(() => p.GetInt32(1, "b"));
        Assert.Throws<RpcInvalidParamsException>(() => p.GetBoolean(2, "c"));
        Assert.Throws<RpcInvalidParamsException>(() => p.GetStringArray(3, "d"));
        Assert.Throws<RpcInvalidParamsException>(() => p.GetInt32(4, "e"));
    }

    [Fact]
    public void A_typed_param_is_deserialised_with_generated_metadata()
    {
        RpcParams p = Parse("""[{"name":"web","lines":20}]""");

        LogsRequest? request = p.Get(0, "request", TestJsonContext.Default.LogsRequest);

        Assert.Equal(new LogsRequest("web", 20), request);
    }

    [Fact]
    public void A_typed_param_that_does_not_fit_is_invalid_params()
    {
        RpcParams p = Parse("""{"request":{"name":"web","lines":"many"}}""");

        var ex = Assert.Throws<RpcInvalidParamsException>(() => p.Get(0, "request", TestJsonContext.Default.LogsRequest));

        Assert.Equal("request", ex.ParameterName);
    }

    private static RpcParams Parse(string json) => new(JsonDocument.Parse(json).RootElement);

    internal sealed record LogsRequest(string Name, int Lines);

    [JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
    [JsonSerializable(typeof(LogsRequest))]
    internal sealed partial class TestJsonContext : JsonSerializerContext;
}
