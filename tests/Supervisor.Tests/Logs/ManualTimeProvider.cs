namespace Supervisor.Tests.Logs;

/// <summary>
/// A clock the test sets (Microsoft.Extensions.TimeProvider.Testing does not restore here).
/// Only "now" and the zone: the log code under test uses no timers of its clock except the
/// follower's polls, which the tests run on the real clock.
/// </summary>
internal sealed class ManualTimeProvider(DateTimeOffset now, TimeZoneInfo zone) : TimeProvider
{
    private DateTimeOffset _now = now;

    public static TimeZoneInfo PlusOneHour { get; } =
        TimeZoneInfo.CreateCustomTimeZone("Test+01", TimeSpan.FromHours(1), "Test+01", "Test+01");

    public override TimeZoneInfo LocalTimeZone => zone;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}
