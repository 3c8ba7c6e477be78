using Xunit;
using Supervisor.Cli.Output;
using Supervisor.Core;
using Supervisor.Core.Protocol;

namespace Supervisor.Tests.Cli;

/// <summary>`sup ls PATTERN --sort KEY`.</summary>
public sealed class AppSelectionTests
{
    private static readonly AppInfo[] Apps =
    [
        new() { Name = "gmail-watcher", Kind = "service", Status = "online", Cpu = 2.0, Memory = 30, UptimeMs = 100, Restarts = 1 },
        new() { Name = "api", Kind = "service", Status = "online", Cpu = 9.5, Memory = 10, UptimeMs = 300, Restarts = 0 },
        new() { Name = "gmail-sender", Kind = "service", Status = "stopped", Restarts = 4 },
        new() { Name = "briefing", Kind = "job", Status = "scheduled", Cpu = null, Memory = null },
    ];

    private static string[] Names(IEnumerable<AppInfo> apps) => apps.Select(a => a.Name).ToArray();

    [Fact]
    public void Without_a_pattern_or_sort_the_daemons_order_is_kept()
    {
        Assert.Equal(["gmail-watcher", "api", "gmail-sender", "briefing"], Names(AppSelection.Apply(Apps, null, null)));
    }

    [Theory]
    [InlineData("gmail*", new[] { "gmail-watcher", "gmail-sender" })]
    [InlineData("*er", new[] { "gmail-watcher", "gmail-sender" })]
    [InlineData("a?i", new[] { "api" })]
    [InlineData("api", new[] { "api" })]
    [InlineData("nothing*", new string[0])]
    public void A_glob_keeps_the_apps_whose_whole_name_matches(string pattern, string[] expected)
    {
        Assert.Equal(expected, Names(AppSelection.Apply(Apps, pattern, null)));
    }

    [Theory]
    [InlineData("name", new[] { "api", "briefing", "gmail-sender", "gmail-watcher" })]
    [InlineData("cpu", new[] { "api", "gmail-watcher", "briefing", "gmail-sender" })]
    [InlineData("memory", new[] { "gmail-watcher", "api", "briefing", "gmail-sender" })]
    [InlineData("uptime", new[] { "api", "gmail-watcher", "briefing", "gmail-sender" })]
    [InlineData("restarts", new[] { "gmail-sender", "gmail-watcher", "api", "briefing" })]
    public void Sorting_puts_the_largest_first_and_names_in_order(string key, string[] expected)
    {
        Assert.Equal(expected, Names(AppSelection.Apply(Apps, null, key)));
    }

    [Fact]
    public void Filter_and_sort_combine()
    {
        Assert.Equal(["gmail-sender", "gmail-watcher"], Names(AppSelection.Apply(Apps, "gmail*", "restarts")));
    }

    [Fact]
    public void An_unknown_sort_key_is_a_usage_error_naming_the_choices()
    {
        var ex = Assert.Throws<SupException>(() => AppSelection.Apply(Apps, null, "colour"));

        Assert.Equal(SupError.BadArgument, ex.Error);
        Assert.Contains("name, cpu, memory, uptime, restarts", ex.Message);
    }
}
