using System.Text;
using Supervisor.Core.Platform;
using Xunit;

namespace Supervisor.Tests.Platform;

public class ProcStatTests
{
    [Fact]
    public void Command_with_spaces_and_parentheses_does_not_shift_the_fields()
    {
        var line = "4321 (my (odd) prog) x) S 77 4321 4300 0 -1 4194560 120 0 0 0 7 3 0 0 20 0 1 0 987654 12345678 250 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0\n"u8;

        var parsed = ProcStat.TryParse(line, out var stat, out var command);

        Assert.True(parsed);
        Assert.Equal("my (odd) prog) x", Encoding.UTF8.GetString(command));
        Assert.Equal(new ProcStat(4321, 'S', 77, 4321, 4300, 7, 3, 987654, 250), stat);
        Assert.Equal(10UL, stat.CpuTicks);
    }

    [Fact]
    public void Zombie_state_counts_as_exited()
    {
        var line = "12 (sleep) Z 1 10 10 0 -1 4227084 0 0 0 0 0 0 0 0 20 0 1 0 5000 0 0 18446744073709551615 0 0 0 0 0 0 0 0 0 0 0 0 17 0 0 0 0 0 0"u8;

        Assert.True(ProcStat.TryParse(line, out var stat));
        Assert.True(stat.HasExited);
    }

    [Theory]
    [InlineData("")]
    [InlineData("garbage")]
    [InlineData("12 (sleep")]
    [InlineData("12 (sleep) S 1 10")]
    [InlineData("x (sleep) S 1 10 10 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 5000 0 0")]
    [InlineData("12 (sleep) S one 10 10 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 5000 0 0")]
    public void Malformed_line_is_rejected(string line)
    {
        Assert.False(ProcStat.TryParse(Encoding.UTF8.GetBytes(line), out _));
    }

    [Fact]
    public void Own_stat_file_parses_to_this_process()
    {
        var text = File.ReadAllBytes("/proc/self/stat");

        Assert.True(ProcStat.TryParse(text, out var stat));
        Assert.Equal(Environment.ProcessId, stat.Pid);
        Assert.False(stat.HasExited);
        Assert.True(stat.RssPages > 0);
    }
}
