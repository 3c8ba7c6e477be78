using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Supervisor.Core.Logs;
using Xunit;

namespace Supervisor.Tests.Logs;

public sealed class RotatingFileLoggerProviderTests
{
    private static readonly DateTimeOffset Morning = new(2026, 11, 22, 8, 0, 0, 123, TimeSpan.Zero);

    [Fact]
    public void Messages_are_written_one_per_line_with_time_level_and_category()
    {
        using var dir = new TempDir();
        var path = dir.File("daemon.log");
        var clock = new ManualTimeProvider(Morning, ManualTimeProvider.PlusOneHour);

        using (var factory = DaemonLog.Create(path, LogLevel.Information, clock))
        {
            var log = factory.CreateLogger("Supervision");
            log.LogInformation("App {Name} is online", "web");
            log.LogDebug("not at this level");
            clock.Advance(TimeSpan.FromSeconds(1));
            log.LogWarning("App {Name} exited with code {Code}", "web", 3);
        }

        Assert.Equal(
            [
                "2026-11-22T09:00:00.123+01:00 info  [Supervision] App web is online",
                "2026-11-22T09:00:01.123+01:00 warn  [Supervision] App web exited with code 3",
            ],
            File.ReadAllLines(path));
    }

    [Fact]
    public void Exceptions_and_multi_line_messages_are_indented_under_their_line()
    {
        using var dir = new TempDir();
        var path = dir.File("daemon.log");
        var clock = new ManualTimeProvider(Morning, ManualTimeProvider.PlusOneHour);

        using (var factory = DaemonLog.Create(path, LogLevel.Trace, clock))
        {
            var log = factory.CreateLogger("Rpc");
            log.LogError(new InvalidOperationException("boom"), "Request failed\nsecond line");
        }

        var lines = File.ReadAllLines(path);
        Assert.Equal("2026-11-22T09:00:00.123+01:00 error [Rpc] Request failed", lines[0]);
        Assert.Equal("    second line", lines[1]);
        Assert.Equal("    System.InvalidOperationException: boom", lines[2]);
        Assert.All(lines[1..], line => Assert.StartsWith("    ", line));
    }

    [Fact]
    public async Task Lines_reach_the_file_while_the_logger_is_open()
    {
        using var dir = new TempDir();
        var path = dir.File("daemon.log");
        await using var provider = new RotatingFileLoggerProvider(path, TimeProvider.System);

        provider.CreateLogger("Daemon").LogInformation("started");

        await Poll.UntilAsync(() => File.ReadAllText(path).Contains("[Daemon] started\n"));
    }

    [Fact]
    public async Task The_log_rotates_and_disposing_writes_everything_queued()
    {
        using var dir = new TempDir();
        var path = dir.File("daemon.log");
        var shape = new Regex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d\d:\d\d info  \[Load\] message (\d+)$");

        await using (var provider = new RotatingFileLoggerProvider(new LogFileOptions(path, 20_000, 100, false), TimeProvider.System))
        {
            var log = provider.CreateLogger("Load");
            for (var i = 0; i < 5000; i++)
            {
                log.LogInformation("message {Number}", i);
            }
        }

        var lines = NumberedLines.ReadAll(path);
        Assert.True(File.Exists(path + ".5"));
        Assert.Equal(Enumerable.Range(0, 5000).Select(i => i.ToString()), lines.Select(l => shape.Match(l).Groups[1].Value));
    }
}
