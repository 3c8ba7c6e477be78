using Supervisor.Core.Config;
using Xunit;

namespace Supervisor.Tests.Config;

public sealed class KeySuggesterTests
{
    [Theory]
    [InlineData("scirpt", "script")]
    [InlineData("Script", "script")]
    [InlineData("min-uptime", "min_uptime")]
    [InlineData("restart_dealy", "restart_delay")]
    [InlineData("enviroment", null)]
    [InlineData("xyz", null)]
    [InlineData("instance", "instances")]
    public void Close_typos_get_the_known_key_and_other_words_get_nothing(string typed, string? expected)
    {
        Assert.Equal(expected, KeySuggester.Suggest(typed, EcosystemKeys.App));
    }
}
