using Supervisor.Core.Platform;
using Xunit;

namespace Supervisor.Tests.Platform;

public sealed class PidFileTests : IDisposable
{
    private readonly string folder = Path.Combine("/tmp", "sup-t-" + Guid.NewGuid().ToString("N")[..8]);

    public PidFileTests() => Directory.CreateDirectory(folder);

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public void Written_pid_reads_back_and_is_a_plain_line_like_pm2_writes()
    {
        var path = Path.Combine(folder, "web.pid");

        PidFile.Write(path, 4242);

        Assert.Equal(4242, PidFile.TryRead(path));
        Assert.Equal("4242\n", File.ReadAllText(path));
        Assert.Equal(["web.pid"], Directory.GetFiles(folder).Select(Path.GetFileName));
    }

    [Fact]
    public void Rewriting_replaces_the_pid()
    {
        var path = Path.Combine(folder, "web.pid");
        PidFile.Write(path, 1111);

        PidFile.Write(path, 2222);

        Assert.Equal(2222, PidFile.TryRead(path));
    }

    [Theory]
    [InlineData("")]
    [InlineData("abc\n")]
    [InlineData("-5\n")]
    [InlineData("0\n")]
    [InlineData("12 34\n")]
    [InlineData("99999999999999999999\n")]
    public void Garbage_reads_as_no_pid(string content)
    {
        var path = Path.Combine(folder, "bad.pid");
        File.WriteAllText(path, content);

        Assert.Null(PidFile.TryRead(path));
    }

    [Theory]
    [InlineData("123")]
    [InlineData("  123  \n")]
    [InlineData("123\r\n")]
    public void Pid_written_by_other_tools_is_read(string content)
    {
        var path = Path.Combine(folder, "other.pid");
        File.WriteAllText(path, content);

        Assert.Equal(123, PidFile.TryRead(path));
    }

    [Fact]
    public void Huge_file_is_not_a_pid_file()
    {
        var path = Path.Combine(folder, "huge.pid");
        File.WriteAllText(path, "1" + new string(' ', 100));

        Assert.Null(PidFile.TryRead(path));
    }

    [Fact]
    public void Missing_file_or_folder_reads_as_no_pid_and_deletes_quietly()
    {
        var missing = Path.Combine(folder, "none.pid");
        var inMissingFolder = Path.Combine(folder, "gone", "none.pid");

        Assert.Null(PidFile.TryRead(missing));
        Assert.Null(PidFile.TryRead(inMissingFolder));
        PidFile.Delete(missing);
        PidFile.Delete(inMissingFolder);
    }

    [Fact]
    public void Deleted_pid_file_is_gone()
    {
        var path = Path.Combine(folder, "web.pid");
        PidFile.Write(path, 4242);

        PidFile.Delete(path);

        Assert.False(File.Exists(path));
    }
}
