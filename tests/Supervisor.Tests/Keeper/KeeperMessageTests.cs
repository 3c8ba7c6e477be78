using Supervisor.Core.Keeper;
using Xunit;

namespace Supervisor.Tests.Keeper;

/// <summary>The keeper's line protocol, as literal lines both ways.</summary>
public sealed class KeeperMessageTests
{
    [Fact]
    public void Messages_are_the_documented_lines()
    {
        Assert.Equal("hold 42 1234567 31 98765 36 98766", KeeperMessage.Hold(42, 1234567, 31, 98765, 36, 98766));
        Assert.Equal("drop 42", KeeperMessage.Drop(42));
        Assert.Equal("held 42 1234567 7 8 -", KeeperMessage.Held(42, 1234567, 7, 8, null));
        Assert.Equal("held 42 1234567 7 8 137", KeeperMessage.Held(42, 1234567, 7, 8, 137));
        Assert.Equal("orphan 43 99", KeeperMessage.Orphan(43, 99));
        Assert.Equal("exit 42 143", KeeperMessage.Exit(42, 143));
        Assert.Equal("holding 3", KeeperMessage.Holding(3));
        Assert.Equal("handed", KeeperMessage.Handed);
        Assert.Equal("replacing", KeeperMessage.Replacing);
    }

    [Fact]
    public void A_line_parses_into_its_verb_and_numbers_with_a_dash_as_null()
    {
        var parsed = KeeperMessage.Parse("held 42 1234567 7 8 -");

        Assert.NotNull(parsed);
        Assert.Equal("held", parsed.Value.Verb);
        Assert.Equal([42L, 1234567L, 7L, 8L, null], parsed.Value.Args);
        var ready = KeeperMessage.Parse("ready")!.Value;
        Assert.Equal("ready", ready.Verb);
        Assert.Empty(ready.Args);
    }

    [Theory]
    [InlineData("")]
    [InlineData("hold 42 x")]
    [InlineData("exit 1e3 2")]
    public void A_malformed_line_is_null(string line) => Assert.Null(KeeperMessage.Parse(line));
}
