using Supervisor.Core.Config;
using Xunit;

namespace Supervisor.Tests.Config;

public sealed class SignalNamesTests
{
    [Theory]
    [InlineData("SIGTERM", "SIGTERM")]
    [InlineData("TERM", "SIGTERM")]
    [InlineData("sigterm", "SIGTERM")]
    [InlineData("15", "SIGTERM")]
    [InlineData("2", "SIGINT")]
    [InlineData("HUP", "SIGHUP")]
    [InlineData("SIGUSR2", "SIGUSR2")]
    public void Signal_names_and_portable_numbers_become_canonical(string text, string canonical)
    {
        Assert.True(SignalNames.TryNormalize(text, out var result));
        Assert.Equal(canonical, result);
    }

    [Theory]
    [InlineData("SIGFOO")]
    [InlineData("10")]
    [InlineData("0")]
    [InlineData("")]
    [InlineData(null)]
    public void Unknown_or_non_portable_signals_are_refused(string? text)
    {
        Assert.False(SignalNames.TryNormalize(text, out _));
    }
}
