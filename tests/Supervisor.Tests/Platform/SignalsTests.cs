using Supervisor.Core.Platform;
using Xunit;

namespace Supervisor.Tests.Platform;

public class SignalsTests
{
    [Theory]
    [InlineData("SIGTERM", 15)]
    [InlineData("TERM", 15)]
    [InlineData("sigterm", 15)]
    [InlineData("term", 15)]
    [InlineData(" SIGINT ", 2)]
    [InlineData("15", 15)]
    [InlineData("9", 9)]
    [InlineData("SIGKILL", 9)]
    [InlineData("HUP", 1)]
    [InlineData("SIGQUIT", 3)]
    [InlineData("64", 64)]
    public void Signal_is_parsed_from_name_short_name_or_number(string text, int expected)
    {
        Assert.True(Signals.TryParse(text, out var signal));
        Assert.Equal(expected, signal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("SIG")]
    [InlineData("SIGNOPE")]
    [InlineData("0")]
    [InlineData("65")]
    [InlineData("-15")]
    [InlineData("1.5")]
    [InlineData(null)]
    public void Unknown_signal_is_rejected(string? text)
    {
        Assert.False(Signals.TryParse(text, out var signal));
        Assert.Equal(0, signal);
    }

    [Fact]
    public void Linux_numbers_are_used_on_linux()
    {
        Assert.True(OperatingSystem.IsLinux(), "These numbers hold on Linux only.");
        Assert.Equal((10, 12, 18, 19), (Signals.SIGUSR1, Signals.SIGUSR2, Signals.SIGCONT, Signals.SIGSTOP));
        Assert.True(Signals.TryParse("USR2", out var usr2));
        Assert.Equal(12, usr2);
    }

    [Theory]
    [InlineData(15, "SIGTERM")]
    [InlineData(9, "SIGKILL")]
    [InlineData(2, "SIGINT")]
    [InlineData(11, "SIGSEGV")]
    [InlineData(10, "SIGUSR1")]
    [InlineData(40, "40")]
    public void Name_is_the_full_signal_name(int signal, string expected)
    {
        Assert.Equal(expected, Signals.Name(signal));
    }

    [Fact]
    public void Every_name_parses_back_to_its_number()
    {
        for (var signal = 1; signal <= 64; signal++)
        {
            Assert.True(Signals.TryParse(Signals.Name(signal), out var parsed), Signals.Name(signal));
            Assert.Equal(signal, parsed);
        }
    }
}
