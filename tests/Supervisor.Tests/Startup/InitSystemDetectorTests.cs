using Supervisor.Core;
using Supervisor.Core.Startup;
using Xunit;

namespace Supervisor.Tests.Startup;

public sealed class InitSystemDetectorTests
{
    [Theory]
    [InlineData(true, false, false, true, true, InitSystem.Systemd)]
    [InlineData(true, false, false, true, false, InitSystem.Systemd)]
    [InlineData(true, false, false, false, true, InitSystem.Systemd)] // installed but not running: the failing systemctl says why
    [InlineData(false, true, false, false, false, InitSystem.Launchd)]
    [InlineData(false, false, true, false, false, InitSystem.Windows)]
    public void The_init_system_follows_the_platform_and_what_runs(bool linux, bool mac, bool windows, bool running, bool systemctl, InitSystem expected)
    {
        Assert.Equal(expected, InitSystemDetector.Detect(new HostFacts(linux, mac, windows, running, systemctl)));
    }

    [Fact]
    public void Linux_without_systemd_asks_the_user_to_name_one()
    {
        var error = Assert.Throws<SupException>(() => InitSystemDetector.Detect(new HostFacts(true, false, false, false, false)));

        Assert.Equal(SupError.NotSupported, error.Error);
        Assert.Contains("sup startup systemd --dry-run", error.Message);
    }

    [Theory]
    [InlineData("systemd", InitSystem.Systemd)]
    [InlineData("launchd", InitSystem.Launchd)]
    [InlineData("Windows", InitSystem.Windows)]
    public void Names_are_read_ignoring_case(string name, InitSystem expected)
    {
        Assert.Equal(expected, InitSystemDetector.Parse(name));
    }

    [Fact]
    public void An_unknown_name_lists_the_known_ones()
    {
        var error = Assert.Throws<SupException>(() => InitSystemDetector.Parse("upstart"));

        Assert.Equal("Unknown init system 'upstart'; use systemd, launchd or windows.", error.Message);
    }
}
