using Supervisor.Core.Scheduling;
using Xunit;

namespace Supervisor.Tests.Scheduling;

/// <summary>
/// Hundreds of generated expressions, checked against <see cref="BruteForceCron"/> from start
/// instants around every DST change of 2026 (inside both passes of repeated hours, at and around
/// gaps) and at random, three occurrences in a row each.
/// </summary>
public sealed class CronReferenceTests
{
    private const int ExpressionCount = 300;
    private static readonly TimeSpan Horizon = TimeSpan.FromDays(800);

    [Theory]
    [InlineData("UTC", 1)]
    [InlineData("America/New_York", 2)]
    [InlineData("Europe/London", 3)]
    [InlineData("Australia/Lord_Howe", 4)]
    [InlineData("Asia/Kolkata", 5)]
    public void Generated_expressions_fire_exactly_when_the_brute_force_reference_says(string zoneId, int seed)
    {
        var zone = TestZones.ById(zoneId);
        var random = new Random(seed);
        var mismatches = CompareWithReference(zone, random, StartInstants(zone, random, randomCount: 8), aroundClockChanges: false);
        Assert.True(mismatches.Count == 0, $"{mismatches.Count} mismatches in {zoneId}:\n" + string.Join('\n', mismatches.Take(20)));
    }

    [Theory]
    [InlineData("America/New_York", 12)]
    [InlineData("Europe/London", 13)]
    [InlineData("Australia/Lord_Howe", 14)]
    public void Expressions_in_the_hours_of_clock_changes_fire_exactly_when_the_brute_force_reference_says(string zoneId, int seed)
    {
        var zone = TestZones.ById(zoneId);
        var random = new Random(seed);
        var mismatches = CompareWithReference(zone, random, StartInstants(zone, random, randomCount: 0), aroundClockChanges: true);
        Assert.True(mismatches.Count == 0, $"{mismatches.Count} mismatches in {zoneId}:\n" + string.Join('\n', mismatches.Take(20)));
    }

    private static List<string> CompareWithReference(TimeZoneInfo zone, Random random, List<DateTimeOffset> starts, bool aroundClockChanges)
    {
        var mismatches = new List<string>();
        for (var i = 0; i < ExpressionCount; i++)
        {
            // Arrange
            var generated = GeneratedCron.Create(random, aroundClockChanges);
            var cron = CronExpression.Parse(generated.Text);
            var from = starts[random.Next(starts.Count)];

            for (var step = 0; step < 3; step++)
            {
                // Act
                var expected = BruteForceCron.Next(generated, from, zone, Horizon);
                var actual = cron.GetNextOccurrence(from, zone);

                // Assert (collected, so one failure shows every disagreement)
                var agrees = expected is { } e
                    ? actual is { } a && a == e && a.Offset == e.Offset
                    : actual is null || actual > from + Horizon;
                if (!agrees)
                {
                    mismatches.Add($"\"{generated.Text}\" after {from:O}: expected {expected:O}, got {actual:O}");
                }
                if (expected is not { } next)
                {
                    break;
                }
                from = next;
            }
        }
        return mismatches;
    }

    private static List<DateTimeOffset> StartInstants(TimeZoneInfo zone, Random random, int randomCount)
    {
        var yearStart = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var starts = new List<DateTimeOffset>();
        foreach (var transition in TestZones.Transitions(zone, yearStart, yearStart.AddYears(1)))
        {
            foreach (var minutes in new[] { -26 * 60, -5 * 60, -121, -61, -30, -1, 0, 1, 29, 59, 90 })
            {
                starts.Add(transition.AddMinutes(minutes));
            }
            starts.Add(transition.AddSeconds(-1));
            starts.Add(transition.AddMinutes(-45).AddSeconds(17).AddTicks(1234));
        }
        for (var i = 0; i < randomCount; i++)
        {
            starts.Add(yearStart.AddSeconds(random.NextInt64(0, 366L * 24 * 3600)).AddTicks(random.Next(10_000_000)));
        }
        return starts.Select(s => TimeZoneInfo.ConvertTime(s, zone)).ToList();
    }
}
