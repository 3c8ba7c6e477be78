using Supervisor.Core;
using Supervisor.Core.Scheduling;
using Xunit;

namespace Supervisor.Tests.Scheduling;

public sealed class TimeZonesTests
{
    [Fact]
    public void No_zone_means_the_machine_zone()
    {
        Assert.Equal(TimeZoneInfo.Local, TimeZones.Find(null));
    }

    [Theory]
    [InlineData("Europe/Paris")]
    [InlineData("America/New_York")]
    [InlineData("Australia/Lord_Howe")]
    [InlineData("UTC")]
    public void Iana_ids_are_found(string id)
    {
        Assert.Equal(id, TimeZones.Find(id).Id);
    }

    [Fact]
    public void An_unknown_zone_is_a_bad_argument_with_a_hint()
    {
        var error = Assert.Throws<SupException>(() => TimeZones.Find("Europe/Pariss"));

        Assert.Equal(SupError.BadArgument, error.Error);
        Assert.Equal("Unknown time zone 'Europe/Pariss'. Use an IANA id such as Europe/Paris.", error.Message);
    }

    [Fact]
    public void An_empty_zone_is_a_bad_argument()
    {
        Assert.Equal(SupError.BadArgument, Assert.Throws<SupException>(() => TimeZones.Find("")).Error);
    }
}
