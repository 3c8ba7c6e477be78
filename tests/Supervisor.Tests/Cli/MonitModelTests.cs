using Xunit;
using Supervisor.Cli.Output;
using Supervisor.Core.Protocol;

namespace Supervisor.Tests.Cli;

/// <summary>What `sup monit` keeps between the daemon's updates.</summary>
public sealed class MonitModelTests
{
    private static MonitUpdate Update(params (string Name, double Cpu, long Memory)[] apps) => new()
    {
        At = "2026-03-09T12:00:00.000+00:00",
        Apps = apps.Select(a => new AppInfo { Name = a.Name, Kind = "service", Status = "online", Cpu = a.Cpu, Memory = a.Memory }).ToList(),
    };

    [Fact]
    public void The_first_app_is_selected_and_arrows_move_within_the_list()
    {
        var model = new MonitModel();
        model.Apply(Update(("a", 0, 0), ("b", 0, 0), ("c", 0, 0)));
        Assert.Equal("a", model.SelectedName);

        model.Move(+1);
        model.Move(+1);
        model.Move(+1);
        Assert.Equal("c", model.SelectedName);

        model.Move(-5);
        Assert.Equal("a", model.SelectedName);
    }

    [Fact]
    public void The_selection_follows_the_app_when_the_list_changes_order()
    {
        var model = new MonitModel();
        model.Apply(Update(("a", 0, 0), ("b", 0, 0)));
        model.Move(+1);

        model.Apply(Update(("new", 0, 0), ("a", 0, 0), ("b", 0, 0)));

        Assert.Equal("b", model.SelectedName);
        Assert.Equal(2, model.SelectedIndex);
    }

    [Fact]
    public void A_deleted_selection_falls_back_to_an_app_still_there()
    {
        var model = new MonitModel();
        model.Apply(Update(("a", 0, 0), ("b", 0, 0)));
        model.Move(+1);

        model.Apply(Update(("a", 0, 0)));

        Assert.Equal("a", model.SelectedName);
    }

    [Fact]
    public void Each_update_adds_to_an_apps_history_up_to_a_limit()
    {
        var model = new MonitModel();
        for (var i = 1; i <= MonitModel.HistoryLength + 5; i++) model.Apply(Update(("a", i, i * 1000)));

        var cpu = model.CpuHistory("a");
        Assert.Equal(MonitModel.HistoryLength, cpu.Count);
        Assert.Equal(MonitModel.HistoryLength + 5, cpu[^1]);
        Assert.Equal((MonitModel.HistoryLength + 5) * 1000, model.MemoryHistory("a")[^1]);
    }
}
