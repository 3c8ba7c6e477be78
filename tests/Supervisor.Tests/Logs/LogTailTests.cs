using Supervisor.Core.Logs;
using Xunit;

namespace Supervisor.Tests.Logs;

public sealed class LogTailTests
{
    [Fact]
    public void Last_lines_of_a_big_file_are_read_from_its_end()
    {
        using var dir = new TempDir();
        var path = dir.File("big-out.log");
        using (var file = File.Create(path))
        {
            for (var i = 0; i < 1_000_000; i += 10_000)
            {
                file.Write(NumberedLines.Bytes(i, 10_000));
            }
        }

        var lines = LogTail.ReadLastLines(path, 15, out var end);

        Assert.Equal(Enumerable.Range(1_000_000 - 15, 15).Select(i => NumberedLines.Line(i)), lines);
        Assert.Equal(new FileInfo(path).Length, end);
    }

    [Fact]
    public void A_missing_file_has_no_lines()
    {
        Assert.Empty(LogTail.ReadLastLines("/tmp/sup-t-missing/none.log", 10));
    }

    [Theory]
    [InlineData("a\nb\nc\n", 2, new[] { "b", "c" })]
    [InlineData("a\nb\nc", 2, new[] { "b", "c" })]
    [InlineData("a\nb\n", 10, new[] { "a", "b" })]
    [InlineData("a\r\n\nb\n", 3, new[] { "a", "", "b" })]
    [InlineData("", 3, new string[0])]
    [InlineData("\n", 3, new[] { "" })]
    [InlineData("a\nb\n", 0, new string[0])]
    public void Last_lines_are_split_on_newlines(string content, int count, string[] expected)
    {
        using var dir = new TempDir();
        var path = dir.File("app-out.log");
        File.WriteAllText(path, content);

        Assert.Equal(expected, LogTail.ReadLastLines(path, count));
    }

    [Fact]
    public void Asking_for_no_lines_still_gives_the_end_to_follow_from()
    {
        using var dir = new TempDir();
        var path = dir.File("app-out.log");
        File.WriteAllText(path, "a\nb\n");

        var lines = LogTail.ReadLastLines(path, 0, out var end);

        Assert.Empty(lines);
        Assert.Equal(4, end);
    }

    [Fact]
    public void Lines_longer_than_a_block_come_back_whole()
    {
        using var dir = new TempDir();
        var path = dir.File("app-out.log");
        var longLine = new string('q', 200_000);
        File.WriteAllText(path, $"first\n{longLine}\nlast\n");

        Assert.Equal([longLine, "last"], LogTail.ReadLastLines(path, 2));
        Assert.Equal(["first", longLine, "last"], LogTail.ReadLastLines(path, 3));
    }

    [Fact]
    public async Task Last_lines_continue_into_rotated_and_compressed_files()
    {
        using var dir = new TempDir();
        var path = dir.File("app-out.log");
        await using (var file = new RotatingLogFile(new LogFileOptions(path, 4000, 10, true), TimeProvider.System))
        {
            for (var i = 0; i < 500; i += 5)
            {
                await file.WriteAsync(NumberedLines.Bytes(i, 5), CancellationToken.None);
            }
        }

        var lines = LogTail.ReadLastLines(LogPaths.ExistingOldestFirst(path), 200);

        Assert.True(File.Exists(path + ".3.gz"));
        Assert.Equal(Enumerable.Range(300, 200).Select(i => NumberedLines.Line(i)), lines);
    }

    [Fact]
    public void Invalid_utf8_is_shown_as_replacement_characters()
    {
        using var dir = new TempDir();
        var path = dir.File("app-out.log");
        File.WriteAllBytes(path, [(byte)'o', (byte)'k', 0xFF, (byte)'\n']);

        Assert.Equal(["ok\uFFFD"], LogTail.ReadLastLines(path, 1));
    }
}
