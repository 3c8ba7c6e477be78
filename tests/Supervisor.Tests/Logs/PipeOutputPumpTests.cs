using System.Text;
using Supervisor.Core.Logs;
using Supervisor.Core.Platform;
using Xunit;

namespace Supervisor.Tests.Logs;

/// <summary>
/// The pump of an app's own pipe (Linux): the same lines as OutputPump, and output leaves the
/// pipe only once it is in the file, so a pump that stops at any moment leaves the rest to the next.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class PipeOutputPumpTests
{
    private static readonly TimeProvider Clock = TimeProvider.System;

    private static int Fd(TestPipe pipe) => (int)pipe.ReadHandle.DangerousGetHandle();

    [Fact(Timeout = 60_000)]
    public async Task Every_line_reaches_the_file_and_the_last_one_gets_its_newline()
    {
        using var dir = new TempDir();
        var path = dir.File("all-out.log");
        using var pipe = new TestPipe();

        await using (var file = new RotatingLogFile(new LogFileOptions(path, 0, 0, false), Clock))
        {
            var pump = PipeOutputPump.PumpAsync(pipe.ReadHandle, file, null, null, CancellationToken.None);
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
    public async Task An_unfinished_line_stays_in_the_pipe_until_its_newline_arrives()
    {
        using var dir = new TempDir();
        var path = dir.File("wait-out.log");
        using var pipe = new TestPipe();
        await using var file = new RotatingLogFile(new LogFileOptions(path, 0, 0, false), Clock);
        var pump = PipeOutputPump.PumpAsync(pipe.ReadHandle, file, null, null, CancellationToken.None);

        await pipe.Writer.WriteAsync("done\nhalf a "u8.ToArray());
        await Poll.UntilAsync(() => File.ReadAllText(path) == "done\n");
        Assert.Equal("half a ".Length, PipePeek.Available(Fd(pipe)));
        Assert.False(pump.IsCompleted);

        await pipe.Writer.WriteAsync("line\n"u8.ToArray());
        await Poll.UntilAsync(() => File.ReadAllText(path) == "done\nhalf a line\n");
        Assert.Equal(0, PipePeek.Available(Fd(pipe)));
        pipe.CloseWriter();
        await pump;
        Assert.Equal("done\nhalf a line\n", File.ReadAllText(path));
    }

    [Fact(Timeout = 120_000)]
    public async Task A_pump_stopped_at_any_moment_leaves_every_line_it_did_not_write_to_the_next_pump()
    {
        using var dir = new TempDir();
        var path = dir.File("relay-out.log");
        using var pipe = new TestPipe();
        var random = new Random(7);
        var stops = 0;

        await using (var file = new RotatingLogFile(new LogFileOptions(path, 0, 0, false), Clock))
        {
            var writing = Task.Run(() => pipe.WriteInRandomPiecesAsync(NumberedLines.Bytes(0, 300000), new Random(8)));
            while (!writing.IsCompleted)
            {
                // A pump that stops (as a killed daemon's does), then a new one on the same pipe.
                using var stop = new CancellationTokenSource(TimeSpan.FromMilliseconds(random.Next(1, 40)));
                try
                {
                    await PipeOutputPump.PumpAsync(pipe.ReadHandle, file, null, null, stop.Token);
                }
                catch (OperationCanceledException)
                {
                    stops++;
                }
            }
            await writing;
            pipe.CloseWriter();
            await PipeOutputPump.PumpAsync(pipe.ReadHandle, file, null, null, CancellationToken.None);
        }

        Assert.True(stops > 3, $"the pump was stopped {stops} times");
        NumberedLines.AssertSequence(File.ReadAllLines(path), 0, 300000);
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
            var pump = PipeOutputPump.PumpAsync(pipe.ReadHandle, file, null, null, CancellationToken.None);
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

        await using (var file = new RotatingLogFile(new LogFileOptions(path, 0, 0, false), Clock))
        {
            var pumps = Task.WhenAll(
                PipeOutputPump.PumpAsync(stdout.ReadHandle, file, null, null, CancellationToken.None),
                PipeOutputPump.PumpAsync(stderr.ReadHandle, file, null, null, CancellationToken.None));
            await Task.WhenAll(
                Task.Run(() => stdout.WriteInRandomPiecesAsync(NumberedLines.Bytes(0, 30000, 'O'), new Random(4))),
                Task.Run(() => stderr.WriteInRandomPiecesAsync(NumberedLines.Bytes(0, 30000, 'E'), new Random(5))));
            stdout.CloseWriter();
            stderr.CloseWriter();
            await pumps;
        }

        var lines = NumberedLines.SplitFile(path);
        Assert.Equal(60000, lines.Count);
        NumberedLines.AssertSequence(lines, 0, 30000, 'O');
        NumberedLines.AssertSequence(lines, 0, 30000, 'E');
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
            var pump = PipeOutputPump.PumpAsync(pipe.ReadHandle, file, prefixer, null, CancellationToken.None);
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
            var pump = PipeOutputPump.PumpAsync(pipe.ReadHandle, file, null, null, CancellationToken.None);
            await pipe.WriteInRandomPiecesAsync(NumberedLines.Bytes(0, 50000), new Random(6));
            pipe.CloseWriter();
            await pump;
        }

        Assert.True(Directory.GetFiles(dir.Path).Length > 2, "the log rotated");
        Assert.All(Directory.GetFiles(dir.Path), f => Assert.True(new FileInfo(f).Length <= 100_000, $"{f} is {new FileInfo(f).Length} bytes"));
        NumberedLines.AssertSequence(NumberedLines.ReadAll(path), 0, 50000);
    }
}
