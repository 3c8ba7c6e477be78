using Microsoft.Extensions.Logging.Abstractions;
using Supervisor.Core.Scheduling;
using Supervisor.Core.Supervision;
using Supervisor.Tests.TestSupport;
using Xunit;

namespace Supervisor.Tests.Supervision;

/// <summary>PM2's watch rules (what a change restarts) and the debounce, on a manual clock.</summary>
public sealed class WatchRestarterTests
{
    private const string Root = "/srv/app";

    private static WatchFilter Filter(IReadOnlyList<string>? ignore = null) =>
        new([Root], ignore, new HashSet<string> { "/srv/app/logs/web-out.log", "/srv/app/web.pid" });

    [Theory]
    [InlineData("/srv/app/src/index.js", false)]
    [InlineData("/srv/app/node_modules/express/index.js", true)]
    [InlineData("/srv/app/.git/FETCH_HEAD", true)]
    [InlineData("/srv/app/src/.cache/x", true)]
    [InlineData("/srv/app/logs/web-out.log", true)]
    [InlineData("/srv/app/logs/web-out.log.1.gz", true)]
    [InlineData("/srv/app/web.pid.tmp-12-ab", true)]
    [InlineData("/srv/app/logs/other.log", false)]
    public void Without_ignore_watch_pm2s_default_ignores_dot_paths_node_modules_and_the_apps_own_files(string path, bool ignored)
    {
        Assert.Equal(ignored, Filter().Ignores(path));
    }

    [Theory]
    [InlineData("/srv/app/node_modules/a.js", true)]
    [InlineData("/srv/app/client/img/logo.png", true)]
    [InlineData("/srv/app/client/app.js", false)]
    [InlineData("/srv/app/server.log", true)]
    [InlineData("/srv/app/deep/er/x.log", true)]
    [InlineData("/srv/app/.git/HEAD", true)]
    [InlineData("/srv/app/.env", false)]
    [InlineData("/srv/app/dist/a/b.map", true)]
    public void Ignore_watch_entries_are_names_paths_globs_or_regexes_as_pm2_files_write_them(string path, bool ignored)
    {
        var filter = Filter(["node_modules", "client/img", "*.log", "\\.git", "dist/**/*.map"]);

        Assert.Equal(ignored, filter.Ignores(path));
    }

    [Fact]
    public async Task A_burst_of_changes_restarts_once_after_watch_delay_of_quiet()
    {
        var time = new ManualTimeProvider();
        var reasons = new List<string>();
        await using var watcher = new WatchRestarter("web", [Root], Filter(), TimeSpan.FromMilliseconds(500),
            reason => { lock (reasons) reasons.Add(reason); return Task.CompletedTask; }, time, NullLogger.Instance, startWatching: false);

        watcher.Changed("/srv/app/src/a.js");
        time.Advance(TimeSpan.FromMilliseconds(400));
        watcher.Changed("/srv/app/src/b.js");
        watcher.Changed("/srv/app/logs/web-out.log");
        time.Advance(TimeSpan.FromMilliseconds(400));
        Assert.Empty(reasons);

        time.Advance(TimeSpan.FromMilliseconds(100));

        Assert.True(await Eventually.TrueAsync(() => Task.FromResult(reasons.Count == 1), TimeSpan.FromSeconds(5)));
        Assert.Equal("watch: /srv/app/src/a.js changed", reasons[0]);
    }

    [Fact]
    public async Task A_change_of_only_ignored_files_restarts_nothing()
    {
        var time = new ManualTimeProvider();
        var calls = 0;
        await using var watcher = new WatchRestarter("web", [Root], Filter(), TimeSpan.FromMilliseconds(500),
            _ => { Interlocked.Increment(ref calls); return Task.CompletedTask; }, time, NullLogger.Instance, startWatching: false);

        watcher.Changed("/srv/app/logs/web-out.log");
        watcher.Changed("/srv/app/node_modules/x/y.js");
        time.Advance(TimeSpan.FromSeconds(5));

        Assert.Equal(0, time.PendingTimers);
        Assert.Equal(0, calls);
    }

    [Fact]
    public async Task Cron_restart_fires_at_each_occurrence_of_its_expression()
    {
        var time = new ManualTimeProvider(new DateTimeOffset(2026, 11, 22, 9, 0, 30, TimeSpan.Zero));
        var fired = new List<DateTimeOffset>();
        await using var cron = new CronRestarter("web", "* * * * *", _ => { lock (fired) fired.Add(time.GetUtcNow()); return Task.CompletedTask; }, time, NullLogger.Instance);

        for (var minute = 1; minute <= 3; minute++)
        {
            Assert.True(await Eventually.TrueAsync(() => Task.FromResult(time.PendingTimers == 1), TimeSpan.FromSeconds(5)));
            time.Advance(TimeSpan.FromMinutes(1));
            var expected = minute;
            Assert.True(await Eventually.TrueAsync(() => Task.FromResult(fired.Count == expected), TimeSpan.FromSeconds(5)));
        }

        Assert.Equal(
            [new DateTimeOffset(2026, 11, 22, 9, 1, 0, TimeSpan.Zero), new DateTimeOffset(2026, 11, 22, 9, 2, 0, TimeSpan.Zero), new DateTimeOffset(2026, 11, 22, 9, 3, 0, TimeSpan.Zero)],
            fired.Select(f => new DateTimeOffset(f.Year, f.Month, f.Day, f.Hour, f.Minute, 0, TimeSpan.Zero)));
    }
}
