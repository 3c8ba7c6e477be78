using System.Text;
using Supervisor.Core.Logs;
using Xunit;

namespace Supervisor.Tests.Logs;

/// <summary>
/// What every pump of an app's output promises, whichever way it moves the bytes: whole lines, in
/// order, none lost, a line never mixed with another stream's, long lines cut at the limit, the
/// date prefix on each, rotation only between lines. Each pump's test class derives from this and
/// says how to start its pump on a <see cref="TestPipe"/>; what only one pump does stays there.
/// </summary>
public abstract class PumpContract
{
    private protected static readonly TimeProvider Clock = TimeProvider.System;

    /// <summary>Pumps <paramref name="pipe"/> into <paramref name="file"/> until the end of the stream.</summary>
    private protected abstract Task PumpAsync(TestPipe pipe, RotatingLogFile file, LinePrefixer? prefixer, CancellationToken ct);

    [Fact(Timeout = 60_000)]
    public async Task Every_line_reaches_the_file_and_the_last_one_gets_its_newline()
    {
        using var dir = new TempDir();
        var path = dir.File("all-out.log");
        using var pipe = new TestPipe();

        await using (var file = new RotatingLogFile(new LogFileOptions(path, 0, 0, false), Clock))
        {
            var pump = PumpAsync(pipe, file, null, CancellationToken.None);
            await pipe.WriteInRandomPiecesAsync([.. NumberedLines.Bytes(0, 200000), .. "no newline"u8.ToArray()], new Random(1));
            pipe.CloseWriter();
            await pump;
        }

        var lines = File.ReadAllLines(path);
        NumberedLines.AssertSequence(lines[..^1], 0, 200000);
        Assert.Equal("no newline", lines[^1]);
        Assert.EndsWith("no newline\n", File.ReadAllText(path));
    }

    [Fact(Timeout = 60_000)]
    public async Task An_unfinished_line_waits_for_its_newline()
    {
        using var dir = new TempDir();
        var path = dir.File("wait-out.log");
        using var pipe = new TestPipe();
        await using var file = new RotatingLogFile(new LogFileOptions(path, 0, 0, false), Clock);
        var pump = PumpAsync(pipe, file, null, CancellationToken.None);

        await pipe.Writer.WriteAsync("done\nhalf a "u8.ToArray());
        await Poll.UntilAsync(() => File.ReadAllText(path) == "done\n");
        Assert.False(pump.IsCompleted);
        await pipe.Writer.WriteAsync("line\n"u8.ToArray());
        await Poll.UntilAsync(() => File.ReadAllText(path) == "done\nhalf a line\n");
        pipe.CloseWriter();
        await pump;

        Assert.Equal("done\nhalf a line\n", File.ReadAllText(path));
    }

    [Fact(Timeout = 60_000)]
    public async Task A_one_megabyte_line_is_written_whole()
    {
        using var dir = new TempDir();
        var path = dir.File("big-out.log");
        var big = new string('x', 1_000_000);
        using var pipe = new TestPipe();

        await using (var file = new RotatingLogFile(new LogFileOptions(path, 0, 0, false), Clock))
        {
            var pump = PumpAsync(pipe, file, null, CancellationToken.None);
            await pipe.WriteInRandomPiecesAsync(Encoding.ASCII.GetBytes($"before\n{big}\nafter\n"), new Random(2), 30000);
            pipe.CloseWriter();
            await pump;
        }

        Assert.Equal(["before", big, "after"], File.ReadAllLines(path));
    }

    [Fact(Timeout = 60_000)]
    public async Task A_line_longer_than_the_limit_is_split_into_pieces_of_the_limit()
    {
        using var dir = new TempDir();
        var path = dir.File("huge-out.log");
        var huge = new string('y', OutputPump.MaxLineLength * 2 + 10);
        using var pipe = new TestPipe();

        await using (var file = new RotatingLogFile(new LogFileOptions(path, 0, 0, false), Clock))
        {
            var pump = PumpAsync(pipe, file, null, CancellationToken.None);
            await pipe.WriteInRandomPiecesAsync(Encoding.ASCII.GetBytes($"{new string('x', 200_000)}\n{huge}\nnext\n"), new Random(3), 60000);
            pipe.CloseWriter();
            await pump;
        }

        var lines = File.ReadAllLines(path);
        Assert.Equal([200_000, OutputPump.MaxLineLength, OutputPump.MaxLineLength, 10, 4], lines.Select(l => l.Length));
        Assert.Equal(huge, string.Concat(lines[1..4]));
    }

    [Fact(Timeout = 60_000)]
    public async Task Two_streams_merged_into_one_file_never_interleave_within_a_line()
    {
        using var dir = new TempDir();
        var path = dir.File("merged.log");
        using var stdout = new TestPipe();
        using var stderr = new TestPipe();
        var longLine = "E" + new string('z', 300_000);

        await using (var file = new RotatingLogFile(new LogFileOptions(path, 0, 0, false), Clock))
        {
            var pumps = Task.WhenAll(
                PumpAsync(stdout, file, null, CancellationToken.None),
                PumpAsync(stderr, file, null, CancellationToken.None));
            var errBytes = NumberedLines.Bytes(0, 30000, 'E').Concat(Encoding.ASCII.GetBytes(longLine + "\n")).ToArray();
            await Task.WhenAll(
                Task.Run(() => stdout.WriteInRandomPiecesAsync(NumberedLines.Bytes(0, 30000, 'O'), new Random(4))),
                Task.Run(() => stderr.WriteInRandomPiecesAsync(errBytes, new Random(5))));
            stdout.CloseWriter();
            stderr.CloseWriter();
            await pumps;
        }

        var lines = NumberedLines.SplitFile(path);
        Assert.Equal(60001, lines.Count);
        NumberedLines.AssertSequence(lines, 0, 30000, 'O');
        NumberedLines.AssertSequence(lines.Where(l => l != longLine), 0, 30000, 'E');
        Assert.Contains(longLine, lines);
    }

    [Fact(Timeout = 60_000)]
    public async Task Date_prefix_is_added_to_every_line()
    {
        using var dir = new TempDir();
        var path = dir.File("ts-out.log");
        var clock = new ManualTimeProvider(new DateTimeOffset(2026, 11, 22, 8, 0, 0, 123, TimeSpan.Zero), ManualTimeProvider.PlusOneHour);
        var prefixer = new LinePrefixer("yyyy-MM-dd HH:mm:ss.fff zzz", clock);
        using var pipe = new TestPipe();

        await using (var file = new RotatingLogFile(new LogFileOptions(path, 0, 0, false), clock))
        {
            var pump = PumpAsync(pipe, file, prefixer, CancellationToken.None);
            await pipe.WriteInRandomPiecesAsync(NumberedLines.Bytes(0, 20000), new Random(1));
            pipe.CloseWriter();
            await pump;
        }

        var lines = File.ReadAllLines(path);
        const string prefix = "2026-11-22 09:00:00.123 +01:00: ";
        Assert.All(lines, line => Assert.StartsWith(prefix, line));
        NumberedLines.AssertSequence(lines.Select(l => l[prefix.Length..]), 0, 20000);
    }

    [Fact(Timeout = 60_000)]
    public async Task Lines_rotate_at_the_size_limit_without_being_split()
    {
        using var dir = new TempDir();
        var path = dir.File("rot-out.log");
        using var pipe = new TestPipe();

        await using (var file = new RotatingLogFile(new LogFileOptions(path, 100_000, 50, false), Clock))
        {
            var pump = PumpAsync(pipe, file, null, CancellationToken.None);
            await pipe.WriteInRandomPiecesAsync(NumberedLines.Bytes(0, 50000), new Random(6));
            pipe.CloseWriter();
            await pump;
        }

        Assert.True(Directory.GetFiles(dir.Path).Length > 2, "the log rotated");
        Assert.All(Directory.GetFiles(dir.Path), f => Assert.True(new FileInfo(f).Length <= 100_000, $"{f} is {new FileInfo(f).Length} bytes"));
        NumberedLines.AssertSequence(NumberedLines.ReadAll(path), 0, 50000);
    }
}
