using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using Supervisor.Core.Logs;
using Xunit;

namespace Supervisor.Tests.Logs;

/// <summary>The pump of any stream: the <see cref="PumpContract"/>, plus what a stream that is not a pipe brings.</summary>
public sealed class OutputPumpTests : PumpContract
{
    private protected override Task PumpAsync(TestPipe pipe, RotatingLogFile file, LinePrefixer? prefixer, CancellationToken ct) =>
        OutputPump.PumpAsync(pipe.Reader, file, prefixer, null, ct);

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
