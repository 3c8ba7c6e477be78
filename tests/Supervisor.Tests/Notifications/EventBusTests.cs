using Supervisor.Core.Events;
using Xunit;

namespace Supervisor.Tests.Notifications;

public sealed class EventBusTests
{
    private static SupEvent E(string reason) => new(DateTimeOffset.UnixEpoch, EventKind.Started, EventSource.Service, "web", reason);

    [Fact]
    public void A_subscriber_that_never_reads_loses_its_oldest_events_and_never_blocks_the_publisher()
    {
        var bus = new EventBus();
        using var slow = bus.Subscribe(capacity: 3);
        for (var i = 1; i <= 10; i++) bus.Publish(E($"#{i}")); // returns at once each time

        Assert.Equal(7, slow.Dropped);
        var kept = new List<string>();
        while (slow.Reader.TryRead(out var e)) kept.Add(e.Reason);
        Assert.Equal(["#8", "#9", "#10"], kept);
    }

    [Fact]
    public void A_new_subscriber_gets_the_recent_events_numbered_in_order_then_the_live_ones()
    {
        var bus = new EventBus();
        bus.Publish(E("a"));
        bus.Publish(E("b"));
        using var sub = bus.Subscribe(recent: 1);
        bus.Publish(E("c"));

        var got = new List<SupEvent>();
        while (sub.Reader.TryRead(out var e)) got.Add(e);
        Assert.Equal(["b", "c"], got.Select(e => e.Reason));
        Assert.Equal([2L, 3L], got.Select(e => e.Sequence));
    }
}
