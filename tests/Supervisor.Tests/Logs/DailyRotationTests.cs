using System.IO.Compression;
using System.Text;
using Supervisor.Core.Config;
using Supervisor.Core.Logs;
using Xunit;

namespace Supervisor.Tests.Logs;

/// <summary>`log_rotate: daily|hourly`: a new file at the local boundary, the old one named by its date.</summary>
public sealed class DailyRotationTests
{
    // 23:59 local in a zone one hour ahead of UTC: the local day ends at 23:00 UTC.
    private static readonly DateTimeOffset LateEvening = new(2026, 12, 3, 22, 59, 0, TimeSpan.Zero);

    private static LogFileOptions Daily(string path, long maxSize = 0, int retain = 10, bool compress = false) =>
        new(path, maxSize, retain, compress) { Rotation = LogRotation.Daily };

    private static ReadOnlyMemory<byte> Line(string text) => Encoding.UTF8.GetBytes(text + "\n");

    private static string[] Names(TempDir dir) =>
        Directory.GetFiles(dir.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray()!;

    [Fact]
    public async Task The_first_line_after_local_midnight_starts_a_new_file_and_the_old_one_is_named_by_its_day()
    {
        using var dir = new TempDir();
        var path = dir.File("web-out.log");
        var time = new ManualTimeProvider(LateEvening, ManualTimeProvider.PlusOneHour);

        await using (var file = new RotatingLogFile(Daily(path), time))
        {
            await file.WriteAsync(Line("evening"), CancellationToken.None);
            time.Advance(TimeSpan.FromSeconds(59));
            await file.WriteAsync(Line("still the 3rd"), CancellationToken.None);
            Assert.Equal(["web-out.log"], Names(dir));

            time.Advance(TimeSpan.FromSeconds(1)); // 00:00:00 local, the 4th
            await file.WriteAsync(Line("morning"), CancellationToken.None);
        }

        Assert.Equal(["web-out-2026-12-03.log", "web-out.log"], Names(dir));
        Assert.Equal("evening\nstill the 3rd\n", File.ReadAllText(dir.File("web-out-2026-12-03.log")));
        Assert.Equal("morning\n", File.ReadAllText(path));
    }

    [Fact]
    public async Task A_quiet_day_leaves_no_empty_file_and_the_lines_keep_their_day()
    {
        using var dir = new TempDir();
        var path = dir.File("web-out.log");
        var time = new ManualTimeProvider(LateEvening, ManualTimeProvider.PlusOneHour);

        await using (var file = new RotatingLogFile(Daily(path), time))
        {
            await file.WriteAsync(Line("on the 3rd"), CancellationToken.None);
            time.Advance(TimeSpan.FromDays(2)); // nothing on the 4th
            await file.WriteAsync(Line("on the 5th"), CancellationToken.None);
            time.Advance(TimeSpan.FromDays(1));
            await file.WriteAsync(Line("on the 6th"), CancellationToken.None);
        }

        Assert.Equal(["web-out-2026-12-03.log", "web-out-2026-12-05.log", "web-out.log"], Names(dir));
        Assert.Equal("on the 6th\n", File.ReadAllText(path));
    }

    [Fact]
    public async Task The_size_limit_still_cuts_a_day_into_numbered_pieces_in_order()
    {
        using var dir = new TempDir();
        var path = dir.File("web-out.log");
        var time = new ManualTimeProvider(LateEvening.AddHours(-12), ManualTimeProvider.PlusOneHour);

        await using (var file = new RotatingLogFile(Daily(path, maxSize: 12), time))
        {
            foreach (var line in new[] { "piece-one", "piece-two", "piece-three" })
                await file.WriteAsync(Line(line), CancellationToken.None);
            time.Advance(TimeSpan.FromHours(13));
            await file.WriteAsync(Line("next-day"), CancellationToken.None);
        }

        Assert.Equal(["web-out-2026-12-03.1.log", "web-out-2026-12-03.2.log", "web-out-2026-12-03.log", "web-out.log"], Names(dir));
        var oldestFirst = LogPaths.ExistingOldestFirst(path).Select(File.ReadAllText);
        Assert.Equal(["piece-one\n", "piece-two\n", "piece-three\n", "next-day\n"], oldestFirst);
    }

    [Fact]
    public async Task Retain_counts_dated_files_and_the_oldest_go_first()
    {
        using var dir = new TempDir();
        var path = dir.File("web-out.log");
        var time = new ManualTimeProvider(LateEvening, ManualTimeProvider.PlusOneHour);

        await using (var file = new RotatingLogFile(Daily(path, retain: 2), time))
        {
            for (var day = 3; day <= 7; day++)
            {
                await file.WriteAsync(Line($"day {day}"), CancellationToken.None);
                time.Advance(TimeSpan.FromDays(1));
            }
        }

        Assert.Equal(["web-out-2026-12-05.log", "web-out-2026-12-06.log", "web-out.log"], Names(dir));
        Assert.Equal("day 7\n", File.ReadAllText(path));
    }

    [Fact]
    public async Task Hourly_names_the_local_hour()
    {
        using var dir = new TempDir();
        var path = dir.File("web-out.log");
        var time = new ManualTimeProvider(new DateTimeOffset(2026, 12, 3, 13, 30, 0, TimeSpan.Zero), ManualTimeProvider.PlusOneHour);

        await using (var file = new RotatingLogFile(new LogFileOptions(path, 0, 10, false) { Rotation = LogRotation.Hourly }, time))
        {
            await file.WriteAsync(Line("at 14:30 local"), CancellationToken.None);
            time.Advance(TimeSpan.FromMinutes(29));
            await file.WriteAsync(Line("at 14:59 local"), CancellationToken.None);
            time.Advance(TimeSpan.FromMinutes(1));
            await file.WriteAsync(Line("at 15:00 local"), CancellationToken.None);
        }

        Assert.Equal(["web-out-2026-12-03-14.log", "web-out.log"], Names(dir));
        Assert.Equal("at 14:30 local\nat 14:59 local\n", File.ReadAllText(dir.File("web-out-2026-12-03-14.log")));
    }

    [Fact]
    public async Task Compressed_dated_files_are_gzip_of_their_day()
    {
        using var dir = new TempDir();
        var path = dir.File("web-out.log");
        var time = new ManualTimeProvider(LateEvening, ManualTimeProvider.PlusOneHour);

        await using (var file = new RotatingLogFile(Daily(path, compress: true), time))
        {
            await file.WriteAsync(Line("evening"), CancellationToken.None);
            time.Advance(TimeSpan.FromMinutes(2));
            await file.WriteAsync(Line("morning"), CancellationToken.None);
        } // disposing waits for the compressor

        Assert.Equal(["web-out-2026-12-03.log.gz", "web-out.log"], Names(dir));
        await using var gzip = new GZipStream(File.OpenRead(dir.File("web-out-2026-12-03.log.gz")), CompressionMode.Decompress);
        using var reader = new StreamReader(gzip);
        Assert.Equal("evening\n", await reader.ReadToEndAsync());
    }

    [Fact]
    public async Task Flush_deletes_the_dated_files_too()
    {
        using var dir = new TempDir();
        var path = dir.File("web-out.log");
        var time = new ManualTimeProvider(LateEvening, ManualTimeProvider.PlusOneHour);

        await using var file = new RotatingLogFile(Daily(path), time);
        await file.WriteAsync(Line("evening"), CancellationToken.None);
        time.Advance(TimeSpan.FromMinutes(2));
        await file.WriteAsync(Line("morning"), CancellationToken.None);

        await file.TruncateAsync(CancellationToken.None);

        Assert.Equal(["web-out.log"], Names(dir));
        Assert.Equal(0, new FileInfo(path).Length);
    }

    [Fact]
    public async Task A_file_left_from_an_earlier_day_is_named_by_its_last_write_when_the_next_line_comes()
    {
        using var dir = new TempDir();
        var path = dir.File("web-out.log");
        File.WriteAllText(path, "from the day before\n");
        File.SetLastWriteTimeUtc(path, LateEvening.AddDays(-1).UtcDateTime); // 23:59 local on the 2nd
        var time = new ManualTimeProvider(LateEvening, ManualTimeProvider.PlusOneHour);

        await using (var file = new RotatingLogFile(Daily(path), time))
            await file.WriteAsync(Line("today"), CancellationToken.None);

        Assert.Equal(["web-out-2026-12-02.log", "web-out.log"], Names(dir));
        Assert.Equal("today\n", File.ReadAllText(path));
    }

    [Fact]
    public void Other_files_in_the_folder_are_not_taken_for_dated_pieces()
    {
        using var dir = new TempDir();
        var path = dir.File("web-out.log");
        foreach (var name in new[] { "web-out-out.log", "web-out-2026-12-03.txt", "web-out-2026-12-3.log", "web-out-2026-12-03.0.log", "web-out-2026-12-03.log" })
            File.WriteAllText(dir.File(name), "");

        Assert.Equal([dir.File("web-out-2026-12-03.log")], LogPaths.ExistingOldestFirst(path));
    }
}

/// <summary>daemon.log under SUP_DAEMON_LOG_ROTATE: the same dated files as app logs.</summary>
public sealed class DaemonLogDailyRotationTests
{
    [Fact]
    public async Task The_daemon_log_starts_a_new_file_at_local_midnight_and_names_the_old_one_by_its_day()
    {
        using var dir = new TempDir();
        var path = dir.File("daemon.log");
        var clock = new ManualTimeProvider(new DateTimeOffset(2026, 12, 3, 22, 59, 0, TimeSpan.Zero), ManualTimeProvider.PlusOneHour);

        using (var factory = DaemonLog.Create(path, Microsoft.Extensions.Logging.LogLevel.Information, clock, LogRotation.Daily))
        {
            var log = factory.CreateLogger("daemon");
            Microsoft.Extensions.Logging.LoggerExtensions.LogInformation(log, "late on the 3rd");
            // The provider writes from its own task: the line is in the file before the clock moves on.
            await Poll.UntilAsync(() => File.Exists(path) && File.ReadAllText(path).Contains("late on the 3rd"));
            clock.Advance(TimeSpan.FromMinutes(2));
            Microsoft.Extensions.Logging.LoggerExtensions.LogInformation(log, "early on the 4th");
        }

        Assert.Contains("late on the 3rd", File.ReadAllText(dir.File("daemon-2026-12-03.log")));
        var live = File.ReadAllText(path);
        Assert.Contains("early on the 4th", live);
        Assert.DoesNotContain("late on the 3rd", live);
    }

    [Theory]
    [InlineData("daily", LogRotation.Daily)]
    [InlineData("Hourly", LogRotation.Hourly)]
    [InlineData("size", LogRotation.None)]
    public void The_rotation_words_are_read_as_the_docs_say(string text, LogRotation expected)
    {
        Assert.True(LogRotations.TryParse(text, out var rotation));
        Assert.Equal(expected, rotation);
        Assert.False(LogRotations.TryParse("weekly", out _));
    }
}
