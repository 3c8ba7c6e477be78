using System.Collections.Concurrent;
using System.Text;
using Supervisor.Core.Logs;
using Xunit;

namespace Supervisor.Tests.Logs;

public sealed class LogFollowerTests
{
    private static readonly TimeProvider Clock = TimeProvider.System;

    [Fact]
    public async Task New_lines_are_followed_from_the_end()
    {
        using var dir = new TempDir();
        var path = dir.File("app-out.log");
        await using var file = new RotatingLogFile(new LogFileOptions(path, 0, 0, false), Clock);
        await file.WriteAsync("old\n"u8.ToArray(), CancellationToken.None);
        await using var follow = Follow(path, -1);

        // The follower finds the end whenever it starts; keep writing until it reports lines.
        var written = 0;
        await Poll.UntilAsync(async () =>
        {
            await file.WriteAsync(Encoding.ASCII.GetBytes($"new {written++}\n"), CancellationToken.None);
            return follow.Lines.Count >= 3;
        });

        var lines = follow.Lines;
        Assert.DoesNotContain("old", lines);
        var first = int.Parse(lines[0]["new ".Length..]);
        Assert.Equal(Enumerable.Range(first, lines.Count).Select(i => $"new {i}"), lines);
    }

    [Fact]
    public async Task An_unfinished_line_is_followed_once_its_newline_arrives()
    {
        using var dir = new TempDir();
        var path = dir.File("app-out.log");
        await File.WriteAllTextAsync(path, "first\nsec");
        await using var follow = Follow(path, 0);
        await Poll.UntilAsync(() => follow.Lines.Count >= 1);

        await File.AppendAllTextAsync(path, "ond\n");
        await Poll.UntilAsync(() => follow.Lines.Count >= 2);

        Assert.Equal(["first", "second"], follow.Lines);
    }

    [Fact]
    public async Task Following_from_a_tail_offset_misses_nothing()
    {
        using var dir = new TempDir();
        var path = dir.File("app-out.log");
        await using var file = new RotatingLogFile(new LogFileOptions(path, 0, 0, false), Clock);
        await file.WriteAsync(NumberedLines.Bytes(0, 100), CancellationToken.None);

        var tail = LogTail.ReadLastLines(path, 10, out var end);
        await file.WriteAsync(NumberedLines.Bytes(100, 5), CancellationToken.None);
        await using var follow = Follow(path, end);
        await Poll.UntilAsync(() => follow.Lines.Count >= 5);

        NumberedLines.AssertSequence(tail.Concat(follow.Lines), 90, 15);
    }

    [Fact]
    public async Task Following_continues_across_rotations()
    {
        using var dir = new TempDir();
        var path = dir.File("app-out.log");
        await using var file = new RotatingLogFile(new LogFileOptions(path, 2000, 3, false), Clock);
        await using var follow = Follow(path, 0);

        // Batches of ~1.2 KB against a 2 KB limit: a rotation before each batch, each one seen
        // by the follower before the next (tail -F, too, only promises to keep up with one).
        var written = 0;
        for (var batch = 0; batch < 12; batch++)
        {
            await file.WriteAsync(NumberedLines.Bytes(written, 20), CancellationToken.None);
            written += 20;
            await Poll.UntilAsync(() => follow.Lines.Count >= written);
        }

        NumberedLines.AssertSequence(follow.Lines, 0, written);
        Assert.True(File.Exists(path + ".3"));
    }

    [Fact]
    public async Task Following_continues_after_a_flush()
    {
        using var dir = new TempDir();
        var path = dir.File("app-out.log");
        await using var file = new RotatingLogFile(new LogFileOptions(path, 0, 0, false), Clock);
        await file.WriteAsync(NumberedLines.Bytes(0, 50), CancellationToken.None);
        await using var follow = Follow(path, 0);
        await Poll.UntilAsync(() => follow.Lines.Count >= 50);

        await file.TruncateAsync(CancellationToken.None);
        await file.WriteAsync(NumberedLines.Bytes(50, 3), CancellationToken.None);
        await Poll.UntilAsync(() => follow.Lines.Count >= 53);

        NumberedLines.AssertSequence(follow.Lines, 0, 53);
    }

    [Fact]
    public async Task A_file_that_does_not_exist_yet_is_waited_for()
    {
        using var dir = new TempDir();
        var path = dir.File("later-out.log");
        await using var follow = Follow(path, 0);
        await Task.Delay(LogFollower.PollInterval * 2);

        await File.WriteAllTextAsync(path, "hello\n");
        await Poll.UntilAsync(() => follow.Lines.Count >= 1);

        Assert.Equal(["hello"], follow.Lines);
    }

    [Fact]
    public async Task A_replaced_file_with_the_same_beginning_is_still_noticed()
    {
        using var dir = new TempDir();
        var path = dir.File("yes-out.log");
        var same = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("y\n", 100)));
        await File.WriteAllBytesAsync(path, same);
        await using var follow = Follow(path, 0);
        await Poll.UntilAsync(() => follow.Lines.Count >= 100);

        File.Move(path, path + ".1");
        await File.WriteAllBytesAsync(path, same.AsSpan(0, 20).ToArray());
        await Poll.UntilAsync(() => follow.Lines.Count >= 110);

        Assert.Equal(110, follow.Lines.Count);
    }

    [Fact]
    public async Task Cancelling_ends_the_enumeration_quietly()
    {
        using var dir = new TempDir();
        using var cts = new CancellationTokenSource();
        var enumeration = Task.Run(async () =>
        {
            await foreach (var _ in new LogFollower(dir.File("none.log"), Clock).FollowAsync(cts.Token))
            {
            }
        });

        cts.Cancel();

        await enumeration.WaitAsync(TimeSpan.FromSeconds(20));
    }

    private static Following Follow(string path, long offset) => new(path, offset);

    /// <summary>Runs a follower in the background, collecting what it yields.</summary>
    private sealed class Following : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly ConcurrentQueue<string> _lines = new();
        private readonly Task _run;

        public Following(string path, long offset)
        {
            _run = Task.Run(async () =>
            {
                await foreach (var line in new LogFollower(path, Clock).FollowAsync(offset, _stop.Token))
                {
                    _lines.Enqueue(line);
                }
            });
        }

        public List<string> Lines => [.. _lines];

        public async ValueTask DisposeAsync()
        {
            _stop.Cancel();
            await _run;
            _stop.Dispose();
        }
    }
}
