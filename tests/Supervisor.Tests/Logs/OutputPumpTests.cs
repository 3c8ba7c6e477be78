using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using Supervisor.Core.Logs;
using Xunit;

namespace Supervisor.Tests.Logs;

public sealed class OutputPumpTests
{
    private static readonly TimeProvider Clock = TimeProvider.System;

    [Fact]
    public async Task Every_line_of_a_real_child_process_reaches_the_file()
    {
        using var dir = new TempDir();
        var path = dir.File("seq-out.log");
        var start = new ProcessStartInfo("/bin/sh", ["-c", "seq 1 500000"]) { RedirectStandardOutput = true };

        using (var child = Process.Start(start)!)
        {
            await using var file = new RotatingLogFile(new LogFileOptions(path, 0, 0, false), Clock);
            await OutputPump.PumpAsync(child.StandardOutput.BaseStream, file, null, null, CancellationToken.None);
            await child.WaitForExitAsync();
        }

        var lines = File.ReadAllLines(path);
        Assert.Equal(500000, lines.Length);
        Assert.Equal(Enumerable.Range(1, 500000).Select(i => i.ToString()), lines);
    }

    [Fact]
    public async Task A_real_child_writing_across_many_rotations_loses_no_line()
    {
        using var dir = new TempDir();
        var path = dir.File("loop-out.log");
        var script = "i=0; while [ $i -lt 200000 ]; do echo \"line $i\"; i=$((i+1)); done";
        var start = new ProcessStartInfo("/bin/sh", ["-c", script]) { RedirectStandardOutput = true };

        using (var child = Process.Start(start)!)
        {
            await using var file = new RotatingLogFile(new LogFileOptions(path, 256 * 1024, 1000, false), Clock);
            await OutputPump.PumpAsync(child.StandardOutput.BaseStream, file, null, null, CancellationToken.None);
            await child.WaitForExitAsync();
        }

        var lines = NumberedLines.ReadAll(path);
        Assert.Equal(Enumerable.Range(0, 200000).Select(i => $"line {i}"), lines);
        Assert.True(File.Exists(path + ".5"), "expected several rotations");
    }

    [Fact]
    public async Task A_source_that_always_fills_the_buffer_is_copied_exactly()
    {
        // A memory stream returns as much as asked, like a pipe enlarged past the buffer: the
        // pump grows its buffer up to its limit and back.
        using var dir = new TempDir();
        var path = dir.File("fast-out.log");
        var bytes = NumberedLines.Bytes(0, 200000);

        await using (var file = new RotatingLogFile(new LogFileOptions(path, 1024 * 1024, 100, false), Clock))
        {
            await OutputPump.PumpAsync(new MemoryStream(bytes), file, null, null, CancellationToken.None);
        }

        NumberedLines.AssertSequence(NumberedLines.ReadAll(path), 0, 200000);
    }

    [Fact]
    public async Task Date_prefix_is_added_to_every_line()
    {
        using var dir = new TempDir();
        var path = dir.File("ts-out.log");
        var clock = new ManualTimeProvider(new DateTimeOffset(2026, 11, 22, 8, 0, 0, 123, TimeSpan.Zero), ManualTimeProvider.PlusOneHour);
        var prefixer = new LinePrefixer("yyyy-MM-dd HH:mm:ss.fff zzz", clock);
        using var pipe = new TestPipe();

        await using (var file = new RotatingLogFile(new LogFileOptions(path, 0, 0, false), clock))
        {
            var pump = OutputPump.PumpAsync(pipe.Reader, file, prefixer, null, CancellationToken.None);
            await pipe.WriteInRandomPiecesAsync(NumberedLines.Bytes(0, 20000), new Random(1));
            pipe.CloseWriter();
            await pump;
        }

        var lines = File.ReadAllLines(path);
        const string prefix = "2026-11-22 09:00:00.123 +01:00: ";
        Assert.All(lines, line => Assert.StartsWith(prefix, line));
        NumberedLines.AssertSequence(lines.Select(l => l[prefix.Length..]), 0, 20000);
    }

    [Fact]
    public async Task A_last_line_without_newline_is_kept_with_one_added()
    {
        using var dir = new TempDir();
        var path = dir.File("partial-out.log");
        using var pipe = new TestPipe();

        await using (var file = new RotatingLogFile(new LogFileOptions(path, 0, 0, false), Clock))
        {
            var pump = OutputPump.PumpAsync(pipe.Reader, file, null, null, CancellationToken.None);
            await pipe.Writer.WriteAsync("first\nsecond\nno newline"u8.ToArray());
            pipe.CloseWriter();
            await pump;
        }

        Assert.Equal("first\nsecond\nno newline\n", File.ReadAllText(path));
    }

    [Fact]
    public async Task An_unfinished_line_waits_for_its_newline()
    {
        using var dir = new TempDir();
        var path = dir.File("wait-out.log");
        using var pipe = new TestPipe();
        await using var file = new RotatingLogFile(new LogFileOptions(path, 0, 0, false), Clock);
        var pump = OutputPump.PumpAsync(pipe.Reader, file, null, null, CancellationToken.None);

        await pipe.Writer.WriteAsync("done\nhalf a "u8.ToArray());
        await Poll.UntilAsync(() => File.ReadAllText(path) == "done\n");
        await pipe.Writer.WriteAsync("line\n"u8.ToArray());
        await Poll.UntilAsync(() => File.ReadAllText(path) == "done\nhalf a line\n");
        pipe.CloseWriter();
        await pump;

        Assert.Equal("done\nhalf a line\n", File.ReadAllText(path));
    }

    [Fact]
    public async Task A_one_megabyte_line_is_written_whole()
    {
        using var dir = new TempDir();
        var path = dir.File("big-out.log");
        var big = new string('x', 1_000_000);
        using var pipe = new TestPipe();

        await using (var file = new RotatingLogFile(new LogFileOptions(path, 0, 0, false), Clock))
        {
            var pump = OutputPump.PumpAsync(pipe.Reader, file, null, null, CancellationToken.None);
            await pipe.WriteInRandomPiecesAsync(Encoding.ASCII.GetBytes($"before\n{big}\nafter\n"), new Random(2), 30000);
            pipe.CloseWriter();
            await pump;
        }

        Assert.Equal(["before", big, "after"], File.ReadAllLines(path));
    }

    [Fact]
    public async Task A_line_longer_than_the_limit_is_split_into_pieces_of_the_limit()
    {
        using var dir = new TempDir();
        var path = dir.File("huge-out.log");
        var huge = new string('y', OutputPump.MaxLineLength * 2 + 10);
        using var pipe = new TestPipe();

        await using (var file = new RotatingLogFile(new LogFileOptions(path, 0, 0, false), Clock))
        {
            var pump = OutputPump.PumpAsync(pipe.Reader, file, null, null, CancellationToken.None);
            await pipe.WriteInRandomPiecesAsync(Encoding.ASCII.GetBytes(huge + "\nnext\n"), new Random(3), 60000);
            pipe.CloseWriter();
            await pump;
        }

        var lines = File.ReadAllLines(path);
        Assert.Equal([OutputPump.MaxLineLength, OutputPump.MaxLineLength, 10, 4], lines.Select(l => l.Length));
        Assert.Equal(huge, string.Concat(lines[..3]));
    }

    [Fact]
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
                OutputPump.PumpAsync(stdout.Reader, file, null, null, CancellationToken.None),
                OutputPump.PumpAsync(stderr.Reader, file, null, null, CancellationToken.None));
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

    [Fact]
    public async Task Observer_sees_each_complete_line_without_its_ending()
    {
        using var dir = new TempDir();
        var seen = new List<string>();
        using var pipe = new TestPipe();

        await using (var file = new RotatingLogFile(new LogFileOptions(dir.File("obs-out.log"), 0, 0, false), Clock))
        {
            var pump = OutputPump.PumpAsync(pipe.Reader, file, null,
                line => seen.Add(Encoding.UTF8.GetString(line.Span)), CancellationToken.None);
            await pipe.Writer.WriteAsync("one\r\ntwo\n\nthr"u8.ToArray());
            await pipe.Writer.WriteAsync("ee\nlast"u8.ToArray());
            pipe.CloseWriter();
            await pump;
        }

        Assert.Equal(["one", "two", "", "three", "last"], seen);
    }

    [Fact]
    public async Task Cancelling_stops_reading_but_keeps_the_unfinished_line()
    {
        using var dir = new TempDir();
        var path = dir.File("cancel-out.log");
        using var pipe = new TestPipe();
        using var cts = new CancellationTokenSource();
        await using var file = new RotatingLogFile(new LogFileOptions(path, 0, 0, false), Clock);
        var pump = OutputPump.PumpAsync(pipe.Reader, file, null, null, cts.Token);

        await pipe.Writer.WriteAsync("whole\nunfinished"u8.ToArray());
        await Poll.UntilAsync(() => File.ReadAllText(path) == "whole\n");
        cts.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pump);
        Assert.Equal("whole\nunfinished\n", File.ReadAllText(path));
    }

    [Fact]
    public async Task Every_line_of_a_timestamped_real_child_has_the_prefix()
    {
        using var dir = new TempDir();
        var path = dir.File("seqts-out.log");
        var prefixer = new LinePrefixer("yyyy-MM-dd HH:mm:ss.fff", Clock);
        var start = new ProcessStartInfo("/bin/sh", ["-c", "seq 1 100000"]) { RedirectStandardOutput = true };

        using (var child = Process.Start(start)!)
        {
            await using var file = new RotatingLogFile(new LogFileOptions(path, 64 * 1024, 1000, false), Clock);
            await OutputPump.PumpAsync(child.StandardOutput.BaseStream, file, prefixer, null, CancellationToken.None);
            await child.WaitForExitAsync();
        }

        var lines = NumberedLines.ReadAll(path);
        var shape = new Regex(@"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}: (\d+)$");
        Assert.Equal(Enumerable.Range(1, 100000).Select(i => i.ToString()), lines.Select(l => shape.Match(l).Groups[1].Value));
    }
}
