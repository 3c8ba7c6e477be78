using System.Text.Json;
using Xunit;
using Supervisor.Cli.Output;
using Supervisor.Core.Protocol;

namespace Supervisor.Tests.Cli;

/// <summary>The CLI's hand-written reader of `list` rows must read back every field the daemon writes.</summary>
public sealed class AppInfoReaderTests
{
    /// <summary>Every property set to a value unlike its default, so a field the reader forgets shows.</summary>
    private static AppInfo EveryFieldSet()
    {
        var app = new AppInfo { Name = "n", Kind = "job", Status = "running" };
        var index = 0;
        foreach (var property in typeof(AppInfo).GetProperties())
        {
            index++;
            var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            object value = type == typeof(string) ? $"text{index}"
                : type == typeof(int) ? 10 + index
                : type == typeof(long) ? 5_000_000_000L + index
                : type == typeof(double) ? 12.5 + index
                : type == typeof(bool) ? true
                : throw new Xunit.Sdk.XunitException($"AppInfo.{property.Name} has a type this test does not know: teach AppInfoReader and this test");
            property.SetValue(app, value);
        }
        return app;
    }

    [Fact]
    public void Every_field_reads_back_as_the_daemon_wrote_it()
    {
        var original = EveryFieldSet();
        var json = JsonSerializer.SerializeToElement(new[] { original }, ProtocolJson.Default.AppInfoArray);

        var read = AppInfoReader.ReadArray(json);

        Assert.Equal(original, Assert.Single(read));
    }

    [Fact]
    public void Nulls_read_as_nulls()
    {
        var original = new AppInfo { Name = "a", Kind = "service", Status = "stopped" };
        var json = JsonSerializer.SerializeToElement(original, ProtocolJson.Default.AppInfo);

        Assert.Equal(original, AppInfoReader.Read(json));
    }
}
