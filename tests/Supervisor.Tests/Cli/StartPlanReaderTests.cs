using System.Text.Json;
using Xunit;
using Supervisor.Cli.Output;
using Supervisor.Core.Protocol;

namespace Supervisor.Tests.Cli;

/// <summary>The CLI's hand-written reader of a start/reload reply must read back every field the daemon writes.</summary>
public sealed class StartPlanReaderTests
{
    [Fact]
    public void Every_field_reads_back_as_the_daemon_wrote_it()
    {
        var original = new StartPlan
        {
            Started = ["web", "api"],
            Restarted = [new ChangedApp("worker", ["env", "args"]), new ChangedApp("cron", ["cron"])],
            Unchanged = ["db"],
            Removed = ["old"],
            RemovedWereDeleted = true,
            Warnings = ["watch out"],
            Apps = [new AppInfo { Name = "web", Kind = "service", Status = "online", Pid = 42, UptimeMs = 10, Restarts = 1 }],
        };
        var json = JsonSerializer.SerializeToElement(original, ProtocolJson.Default.StartPlan);

        var read = StartPlanReader.Read(json);

        Assert.Equal(original.Started, read.Started);
        Assert.Equal(original.Restarted.Select(c => (c.Name, string.Join(",", c.Changes))), read.Restarted.Select(c => (c.Name, string.Join(",", c.Changes))));
        Assert.Equal(original.Unchanged, read.Unchanged);
        Assert.Equal(original.Removed, read.Removed);
        Assert.True(read.RemovedWereDeleted);
        Assert.Equal(original.Warnings, read.Warnings);
        Assert.Equal(original.Apps, read.Apps);
        // Seven properties, all set above: one added to the contract must be taught to the reader
        // and to this test, or `sup start` would silently print nothing for it.
        Assert.Equal(7, typeof(StartPlan).GetProperties().Length);
    }

    [Fact]
    public void An_empty_plan_reads_as_empty()
    {
        var json = JsonSerializer.SerializeToElement(new StartPlan(), ProtocolJson.Default.StartPlan);

        var read = StartPlanReader.Read(json);

        Assert.Empty(read.Started);
        Assert.Empty(read.Restarted);
        Assert.False(read.RemovedWereDeleted);
        Assert.Empty(read.Apps);
    }
}
