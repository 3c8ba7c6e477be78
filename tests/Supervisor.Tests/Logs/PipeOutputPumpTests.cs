using Supervisor.Core.Logs;
using Supervisor.Core.Platform;
using Xunit;

namespace Supervisor.Tests.Logs;

/// <summary>
/// The pump of an app's own pipe (Linux): the <see cref="PumpContract"/>, and output leaves the
/// pipe only once it is in the file, so a pump that stops at any moment leaves the rest to the next.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class PipeOutputPumpTests : PumpContract
{
    private protected override Task PumpAsync(TestPipe pipe, RotatingLogFile file, LinePrefixer? prefixer, CancellationToken ct) =>
        PipeOutputPump.PumpAsync(pipe.ReadHandle, file, prefixer, null, ct);

    private static int Fd(TestPipe pipe) => (int)pipe.ReadHandle.DangerousGetHandle();

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
        var bytes = NumberedLines.Bytes(0, 300000);
        // The writer waits for a stop after each of its pieces, so however fast the machine, the
        // pump is stopped at least that often with lines in flight (it used to count on timing).
        const int Pieces = 20;
        using var stopped = new SemaphoreSlim(0);

        await using (var file = new RotatingLogFile(new LogFileOptions(path, 0, 0, false), Clock))
        {
            var writing = Task.Run(async () =>
            {
                for (var k = 0; k < Pieces; k++)
                {
                    await pipe.WriteInRandomPiecesAsync(bytes[(bytes.Length * k / Pieces)..(bytes.Length * (k + 1) / Pieces)], new Random(8 + k));
                    await stopped.WaitAsync();
                }
            });
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
                    stopped.Release();
                }
            }
            await writing;
            pipe.CloseWriter();
            await PipeOutputPump.PumpAsync(pipe.ReadHandle, file, null, null, CancellationToken.None);
        }

        NumberedLines.AssertSequence(File.ReadAllLines(path), 0, 300000);
    }
}
