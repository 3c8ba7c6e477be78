using Supervisor.Core.Events;
using Supervisor.Core.Notifications;
using Xunit;

namespace Supervisor.Tests.Notifications;

public sealed class RateLimiterTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 4, 9, 0, 0, TimeSpan.Zero);

    private static SupEvent Crash(string app, DateTimeOffset at) => new(at, EventKind.Crashed, EventSource.Service, app, "exit code 1");

    [Fact]
    public void The_first_event_goes_out_and_the_rest_of_the_minute_is_held_then_summarised()
    {
        var limiter = new RateLimiter(TimeSpan.FromMinutes(1));
        Assert.True(limiter.TryAdmit(Crash("web", T0), T0));
        Assert.False(limiter.TryAdmit(Crash("web", T0.AddSeconds(10)), T0.AddSeconds(10)));
        Assert.False(limiter.TryAdmit(Crash("web", T0.AddSeconds(59)), T0.AddSeconds(59)));

        Assert.Empty(limiter.Close(T0.AddSeconds(59.999)));
        Assert.Equal(T0.AddMinutes(1), limiter.NextClose);
        var summary = Assert.Single(limiter.Close(T0.AddMinutes(1)));
        Assert.Equal(2, summary.Held);
        Assert.Equal(T0.AddSeconds(59), summary.Last.At);
    }

    [Fact]
    public void The_summary_opens_the_next_window_so_a_storm_is_one_message_a_minute()
    {
        var limiter = new RateLimiter(TimeSpan.FromMinutes(1));
        limiter.TryAdmit(Crash("web", T0), T0);
        limiter.TryAdmit(Crash("web", T0.AddSeconds(30)), T0.AddSeconds(30));
        Assert.Single(limiter.Close(T0.AddMinutes(1)));
        Assert.False(limiter.TryAdmit(Crash("web", T0.AddSeconds(61)), T0.AddSeconds(61)));
        // A window that closes quiet is forgotten: the next event goes out at once.
        Assert.Single(limiter.Close(T0.AddMinutes(2)));
        Assert.Empty(limiter.Close(T0.AddMinutes(3)));
        Assert.Null(limiter.NextClose);
        Assert.True(limiter.TryAdmit(Crash("web", T0.AddMinutes(3)), T0.AddMinutes(3)));
    }

    [Fact]
    public void Apps_and_event_kinds_are_limited_separately()
    {
        var limiter = new RateLimiter(TimeSpan.FromMinutes(1));
        Assert.True(limiter.TryAdmit(Crash("web", T0), T0));
        Assert.True(limiter.TryAdmit(Crash("api", T0), T0));
        Assert.True(limiter.TryAdmit(new SupEvent(T0, EventKind.Errored, EventSource.Service, "web", "gave up"), T0));
        Assert.False(limiter.TryAdmit(Crash("web", T0.AddSeconds(1)), T0.AddSeconds(1)));
    }
}
