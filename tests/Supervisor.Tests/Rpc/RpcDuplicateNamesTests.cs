using System.Text.Json;
using Supervisor.Core.Rpc;
using Xunit;

namespace Supervisor.Tests.Rpc;

/// <summary>
/// The duplicate-member check the RPC applies to every frame finds what System.Text.Json's own
/// strict parse found (which loaded OpenSSL to do it), at any depth and any object size.
/// </summary>
public sealed class RpcDuplicateNamesTests
{
    [Theory]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"ping","method":"crash"}""")]
    [InlineData("""{"a":1,"\u0061":2}""")]
    [InlineData("""{"params":{"name":"web","name":"db"}}""")]
    [InlineData("""{"params":[{"x":1},{"y":1,"y":2}]}""")]
    [InlineData("""[{"k":1,"k":1}]""")]
    [InlineData("""{"m1":1,"m2":2,"m3":3,"m4":4,"m5":5,"m6":6,"m7":7,"m8":8,"m9":9,"m10":10,"m3":3}""")]
    public void A_member_named_twice_anywhere_is_found(string json)
    {
        Assert.True(HasDuplicates(json));
        Assert.Throws<JsonException>(() => StrictParse(json));
    }

    [Theory]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"ping"}""")]
    [InlineData("""{"a":{"a":{"a":1}},"b":[{"a":1},{"a":2}]}""")]
    [InlineData("""{"A":1,"a":2}""")]
    [InlineData("""{"m1":1,"m2":2,"m3":3,"m4":4,"m5":5,"m6":6,"m7":7,"m8":8,"m9":9,"m10":10,"m11":11}""")]
    [InlineData("""[1,"two",null,[],{}]""")]
    public void Distinct_members_pass(string json)
    {
        Assert.False(HasDuplicates(json));
        using var _ = StrictParse(json);
    }

    private static bool HasDuplicates(string json)
    {
        using var document = JsonDocument.Parse(json);
        return RpcDuplicateNames.Any(document.RootElement);
    }

    // The reference: what the frame check used before.
    private static JsonDocument StrictParse(string json) => JsonDocument.Parse(json, new JsonDocumentOptions { AllowDuplicateProperties = false });
}
