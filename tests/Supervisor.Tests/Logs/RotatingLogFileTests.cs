using System.Text;
using Supervisor.Core;
using Supervisor.Core.Logs;
using Xunit;

namespace Supervisor.Tests.Logs;

public sealed class RotatingLogFileTests
{
    private static readonly TimeProvider Clock = TimeProvider.System;

    [Fact]
    public async Task Rotation_keeps_every_line_once_in_order_and_whole()
    {
        using var dir = new TempDir();
        var path = dir.File("app-out.log");
        const int maxSize = 64 * 1024;
        using var pipe = new TestPipe();

        await using (var file = new RotatingLogFile(new LogFileOptions(path, maxSize, 1000, false), Clock))
        {
            var pump = OutputPump.PumpAsync(pipe.Reader, file, null, null, CancellationToken.None);
            await pipe.WriteInRandomPiecesAsync(NumberedLines.Bytes(0, 100000), new Random(10), 100_000);
            pipe.CloseWriter();
            await pump;
        }

        NumberedLines.AssertSequence(NumberedLines.ReadAll(path), 0, 100000);
        var files = LogPaths.ExistingOldestFirst(path);
        Assert.True(files.Count > 50, $"only {files.Count} files");
        Assert.All(files, f => Assert.InRange(new FileInfo(f).Length, 1, maxSize));
    }

    [Fact]
    public async Task Only_the_retained_number_of_rotated_files_is_kept_and_they_are_the_newest()
    {
        using var dir = new TempDir();
        var path = dir.File("app-out.log");

        await using (var file = new RotatingLogFile(new LogFileOptions(path, 10_000, 3, false), Clock))
        {
            for (var i = 0; i < 2000; i += 10)
            {
                await file.WriteAsync(NumberedLines.Bytes(i, 10), CancellationToken.None);
            }
        }

        Assert.Equal(["app-out.log", "app-out.log.1", "app-out.log.2", "app-out.log.3"],
            Directory.GetFiles(dir.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        var kept = NumberedLines.ReadAll(path);
        var first = int.Parse(kept[0][1..9]);
        NumberedLines.AssertSequence(kept, first, 2000 - first);
    }

    [Fact]
    public async Task Compressed_rotated_files_are_valid_gzip_continuing_the_sequence()
    {
        using var dir = new TempDir();
        var path = dir.File("app-out.log");

        await using (var file = new RotatingLogFile(new LogFileOptions(path, 32 * 1024, 5, true), Clock))
        {
            for (var i = 0; i < 20000; i += 100)
            {
                await file.WriteAsync(NumberedLines.Bytes(i, 100), CancellationToken.None);
            }
        } // Disposing waits for the compressor.

        var names = Directory.GetFiles(dir.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["app-out.log", "app-out.log.1.gz", "app-out.log.2.gz", "app-out.log.3.gz", "app-out.log.4.gz", "app-out.log.5.gz"], names);
        var kept = NumberedLines.ReadAll(path);
        var first = int.Parse(kept[0][1..9]);
        NumberedLines.AssertSequence(kept, first, 20000 - first);
        Assert.True(new FileInfo(path + ".1.gz").Length < 32 * 1024 / 2, "not compressed");
    }

    [Fact]
    public async Task Writing_does_not_wait_for_compression()
    {
        using var dir = new TempDir();
        var path = dir.File("app-out.log");
        var file = new RotatingLogFile(new LogFileOptions(path, 1024 * 1024, 50, true), Clock);
        var rotations = 0;
        file.Rotated += (_, _) => rotations++;

        // 20 rotations of 1 MB back to back: compression cannot keep up, writing must not care.
        for (var i = 0; i < 200000; i += 1000)
        {
            await file.WriteAsync(NumberedLines.Bytes(i, 1000), CancellationToken.None);
        }
        await file.DisposeAsync();

        Assert.True(rotations >= 10, $"{rotations} rotations");
        NumberedLines.AssertSequence(NumberedLines.ReadAll(path), 0, 200000);
        Assert.DoesNotContain(Directory.GetFiles(dir.Path), f => !f.EndsWith(".gz") && f != path);
    }

    [Fact]
    public async Task A_line_longer_than_the_size_limit_is_written_whole_then_rotated()
    {
        using var dir = new TempDir();
        var path = dir.File("app-out.log");
        var longLine = new string('L', 5000);

        await using (var file = new RotatingLogFile(new LogFileOptions(path, 1000, 10, false), Clock))
        {
            await file.WriteAsync("short\n"u8.ToArray(), CancellationToken.None);
            await file.WriteAsync(Encoding.ASCII.GetBytes(longLine + "\nafter\n"), CancellationToken.None);
        }

        Assert.Equal("short\n", File.ReadAllText(path + ".2"));
        Assert.Equal(longLine + "\n", File.ReadAllText(path + ".1"));
        Assert.Equal("after\n", File.ReadAllText(path));
    }

    [Fact]
    public async Task A_file_at_the_limit_is_rotated_at_once()
    {
        using var dir = new TempDir();
        var path = dir.File("app-out.log");
        string? rotatedTo = null;

        await using var file = new RotatingLogFile(new LogFileOptions(path, 10, 2, false), Clock);
        file.Rotated += (_, e) => rotatedTo = e.RotatedPath;
        await file.WriteAsync("123456789\n"u8.ToArray(), CancellationToken.None);

        Assert.Equal(path + ".1", rotatedTo);
        Assert.Equal(0, file.Length);
        Assert.Equal("123456789\n", File.ReadAllText(path + ".1"));
    }

    [Fact]
    public async Task An_existing_file_is_appended_to()
    {
        using var dir = new TempDir();
        var path = dir.File("app-out.log");
        await File.WriteAllTextAsync(path, "from before\n");

        await using (var file = new RotatingLogFile(new LogFileOptions(path, 0, 0, false), Clock))
        {
            Assert.Equal(12, file.Length);
            await file.WriteAsync("new\n"u8.ToArray(), CancellationToken.None);
        }

        Assert.Equal("from before\nnew\n", File.ReadAllText(path));
    }

    [Fact]
    public async Task The_folder_is_created()
    {
        using var dir = new TempDir();
        var path = Path.Combine(dir.Path, "logs", "deeper", "app-out.log");

        await using (var file = new RotatingLogFile(new LogFileOptions(path, 0, 0, false), Clock))
        {
            await file.WriteAsync("x\n"u8.ToArray(), CancellationToken.None);
        }

        Assert.Equal("x\n", File.ReadAllText(path));
    }

    [Fact]
    public void A_file_that_cannot_be_created_is_reported_with_its_path()
    {
        using var dir = new TempDir();
        var blocker = dir.File("not-a-folder");
        File.WriteAllText(blocker, "");

        var error = Assert.Throws<SupException>(() =>
            new RotatingLogFile(new LogFileOptions(Path.Combine(blocker, "app-out.log"), 0, 0, false), Clock));

        Assert.Equal(SupError.Io, error.Error);
        Assert.Contains(blocker, error.Message);
    }

    [Fact]
    public async Task Truncate_empties_the_file_and_deletes_rotated_files()
    {
        using var dir = new TempDir();
        var path = dir.File("app-out.log");
        await using var file = new RotatingLogFile(new LogFileOptions(path, 1000, 5, false), Clock);
        await file.WriteAsync(NumberedLines.Bytes(0, 100), CancellationToken.None);
        Assert.True(File.Exists(path + ".1"));

        await file.TruncateAsync(CancellationToken.None);
        await file.WriteAsync("after flush\n"u8.ToArray(), CancellationToken.None);

        Assert.Equal(["app-out.log"], Directory.GetFiles(dir.Path).Select(Path.GetFileName));
        Assert.Equal("after flush\n", File.ReadAllText(path));
    }

    [Fact]
    public async Task Truncating_while_an_app_writes_leaves_only_whole_lines()
    {
        using var dir = new TempDir();
        var path = dir.File("app-out.log");
        using var pipe = new TestPipe();
        var truncations = 0;

        await using (var file = new RotatingLogFile(new LogFileOptions(path, 200_000, 3, true), Clock))
        {
            var pump = OutputPump.PumpAsync(pipe.Reader, file, null, null, CancellationToken.None);
            var writer = Task.Run(() => pipe.WriteInRandomPiecesAsync(NumberedLines.Bytes(0, 100000), new Random(11)));
            while (!writer.IsCompleted)
            {
                await file.TruncateAsync(CancellationToken.None);
                truncations++;
                await Task.Delay(5);
            }
            await writer;
            // After the last flush: these lines at least must all be there.
            await pipe.WriteInRandomPiecesAsync(NumberedLines.Bytes(100000, 1000), new Random(12));
            pipe.CloseWriter();
            await pump;
        }

        Assert.True(truncations > 1, $"{truncations} truncations");
        var lines = NumberedLines.ReadAll(path);
        var first = int.Parse(lines[0][1..9]);
        Assert.InRange(first, 0, 100000);
        NumberedLines.AssertSequence(lines, first, 101000 - first);
    }

    [Fact]
    public async Task A_file_emptied_by_someone_else_is_written_from_its_start()
    {
        using var dir = new TempDir();
        var path = dir.File("app-out.log");
        await using var file = new RotatingLogFile(new LogFileOptions(path, 0, 0, false), Clock);
        await file.WriteAsync("old line\n"u8.ToArray(), CancellationToken.None);

        await File.WriteAllTextAsync(path, ""); // `: > app-out.log`
        await file.WriteAsync("new line\n"u8.ToArray(), CancellationToken.None);

        Assert.Equal("new line\n", File.ReadAllText(path));
    }

    [Fact]
    public async Task Leftovers_of_an_interrupted_rotation_are_repaired_on_open()
    {
        using var dir = new TempDir();
        var path = dir.File("app-out.log");
        // Died mid-shift (gap at .2), mid-compression (.5 both plain and gzipped, temp file left).
        await File.WriteAllTextAsync(path + ".1", "newest\n");
        await File.WriteAllTextAsync(path + ".3", "middle\n");
        await WriteGzipAsync(path + ".5.gz", "oldest\n");
        await File.WriteAllTextAsync(path + ".5", "oldest\n");
        await File.WriteAllTextAsync(path + ".gz-tmp", "half");
        await File.WriteAllTextAsync(path, "live\n");

        await using (var file = new RotatingLogFile(new LogFileOptions(path, 1000, 10, false), Clock))
        {
            await file.WriteAsync("more\n"u8.ToArray(), CancellationToken.None);
        }

        Assert.Equal(["app-out.log", "app-out.log.1", "app-out.log.2", "app-out.log.3.gz"],
            Directory.GetFiles(dir.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(["oldest", "middle", "newest", "live", "more"], NumberedLines.ReadAll(path));
    }

    [Fact]
    public async Task Plain_rotated_files_left_uncompressed_are_compressed_on_open()
    {
        using var dir = new TempDir();
        var path = dir.File("app-out.log");
        await File.WriteAllTextAsync(path + ".1", "b\n");
        await File.WriteAllTextAsync(path + ".2", "a\n");

        await using (new RotatingLogFile(new LogFileOptions(path, 1000, 10, true), Clock))
        {
        }

        Assert.Equal(["app-out.log", "app-out.log.1.gz", "app-out.log.2.gz"],
            Directory.GetFiles(dir.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(["a", "b"], NumberedLines.ReadAll(path));
    }

    [Fact]
    public async Task With_nothing_retained_rotation_discards_the_old_content()
    {
        using var dir = new TempDir();
        var path = dir.File("app-out.log");

        await using (var file = new RotatingLogFile(new LogFileOptions(path, 100, 0, false), Clock))
        {
            await file.WriteAsync(NumberedLines.Bytes(0, 50), CancellationToken.None);
        }

        Assert.Equal(["app-out.log"], Directory.GetFiles(dir.Path).Select(Path.GetFileName));
        Assert.True(new FileInfo(path).Length <= 100);
    }

    [Fact]
    public async Task Writing_after_dispose_throws()
    {
        using var dir = new TempDir();
        var file = new RotatingLogFile(new LogFileOptions(dir.File("app-out.log"), 0, 0, false), Clock);
        await file.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await file.WriteAsync("x\n"u8.ToArray(), CancellationToken.None));
    }

    private static async Task WriteGzipAsync(string path, string text)
    {
        await using var gzip = new System.IO.Compression.GZipStream(File.Create(path), System.IO.Compression.CompressionLevel.Fastest);
        await gzip.WriteAsync(Encoding.UTF8.GetBytes(text));
    }
}
