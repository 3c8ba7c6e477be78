using Supervisor.Core.Supervision;
using Xunit;
using Event = Supervisor.Core.Supervision.ServiceSupervisor.ServiceEvent;

namespace Supervisor.Tests.Supervision;

/// <summary>The (status, event) table of a service, read as SPEC section 3 says it.</summary>
public sealed class ServiceStateTableTests
{
    private static readonly AppStatus[] ServiceStatuses =
        [AppStatus.Starting, AppStatus.Online, AppStatus.Stopping, AppStatus.Stopped, AppStatus.Waiting, AppStatus.Errored];

    [Fact]
    public void Only_a_starting_service_can_come_online()
    {
        foreach (var from in ServiceStatuses)
            Assert.Equal(from == AppStatus.Starting ? AppStatus.Online : null, ServiceSupervisor.Next(from, Event.Spawned));
    }

    [Fact]
    public void A_stopping_service_can_only_end_stopped_or_fail()
    {
        foreach (var e in Enum.GetValues<Event>())
        {
            var expected = e switch
            {
                Event.Stopped => AppStatus.Stopped,
                Event.Failed => AppStatus.Errored,
                _ => (AppStatus?)null,
            };
            Assert.Equal(expected, ServiceSupervisor.Next(AppStatus.Stopping, e));
        }
    }

    [Fact]
    public void Exits_are_only_possible_while_a_child_was_starting_or_running()
    {
        foreach (var e in new[] { Event.BackingOff, Event.StayedDown, Event.GaveUp })
            foreach (var from in ServiceStatuses)
                Assert.Equal(from is AppStatus.Starting or AppStatus.Online, ServiceSupervisor.Next(from, e) is not null);
    }

    [Fact]
    public void Waiting_ends_in_a_start_or_a_stop_and_nothing_else()
    {
        var reachable = Enum.GetValues<Event>()
            .Where(e => e != Event.Failed)
            .Select(e => ServiceSupervisor.Next(AppStatus.Waiting, e))
            .OfType<AppStatus>()
            .Distinct()
            .Order();
        Assert.Equal([AppStatus.Starting, AppStatus.Stopped], reachable);
    }

    [Fact]
    public void External_is_entered_only_from_a_service_that_is_down_and_ends_in_a_start_or_a_stop()
    {
        foreach (var from in ServiceStatuses)
            Assert.Equal(from is AppStatus.Stopped or AppStatus.Errored ? AppStatus.External : null, ServiceSupervisor.Next(from, Event.FoundExternal));
        var reachable = Enum.GetValues<Event>()
            .Where(e => e != Event.Failed)
            .Select(e => ServiceSupervisor.Next(AppStatus.External, e))
            .OfType<AppStatus>()
            .Distinct()
            .Order();
        Assert.Equal([AppStatus.Starting, AppStatus.Stopped], reachable);
    }

    [Fact]
    public void A_start_is_refused_only_while_the_app_runs_or_is_busy()
    {
        Assert.Equal(AppStatus.Errored, ServiceSupervisor.Next(AppStatus.Stopped, Event.Refused));
        Assert.Null(ServiceSupervisor.Next(AppStatus.Online, Event.Refused));
        Assert.Null(ServiceSupervisor.Next(AppStatus.Stopping, Event.Starting));
    }
}
