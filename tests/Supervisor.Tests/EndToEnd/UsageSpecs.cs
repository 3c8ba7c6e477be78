using Supervisor.Tests.TestSupport;
using Xunit;

namespace Supervisor.Tests.EndToEnd;

/// <summary>A command line that does not parse: one line on stderr, exit 2, no daemon started.</summary>
public sealed class UsageSpecs : IAsyncLifetime
{
    private readonly SupHome _sup = SupHome.Create();

    public Task InitializeAsync() => Task.CompletedTask;
    public async Task DisposeAsync() => await _sup.DisposeAsync();

    [Theory]
    [InlineData("stpo x", "Unrecognized command or argument 'stpo'. Did you mean 'stop'? See `sup --help`.")]
    [InlineData("ls --jsno", "Unrecognized option '--jsno'. Did you mean '--json'? See `sup ls --help`.")]
    [InlineData("ls --bogus", "Unrecognized option '--bogus'. See `sup ls --help`.")]
    [InlineData("stop --all", "Unrecognized option '--all'. See `sup stop --help`.")]
    [InlineData("ls --sort size", "Argument 'size' not recognized. Must be one of: 'name', 'cpu', 'memory', 'uptime', 'restarts'. See `sup ls --help`.")]
    [InlineData("stop", "Required argument 'name' missing for command: 'stop'. See `sup stop --help`.")]
    [InlineData("restart a b", "Unrecognized command or argument 'b'. See `sup restart --help`.")]
    public async Task A_command_line_that_does_not_parse_is_one_line_and_exit_2(string args, string message)
    {
        var result = await _sup.SupAsync(args.Split(' '));

        Assert.Equal(2, result.ExitCode);
        Assert.Equal(message, result.Stderr.TrimEnd('\n'));
        Assert.Equal("", result.Stdout);
        Assert.Null(_sup.DaemonPid);
    }

    [Theory]
    [InlineData("ls")] // the fast path, which wrote straight to the descriptor and crashed
    [InlineData("ls --json")]
    [InlineData("logs a --nostream")]
    public async Task A_closed_standard_output_is_one_line_not_a_crash(string args)
    {
        _sup.WriteFile("a.sh", "#!/bin/sh\necho hello\nexec sleep 300\n");
        await _sup.OkAsync("start", _sup.WriteFile("ecosystem.yaml", "apps:\n  - name: a\n    script: ./a.sh\n"));
        Assert.True(await Eventually.TrueAsync(() => Task.FromResult(_sup.ReadLog("a").Contains("hello")), TimeSpan.FromSeconds(10)));

        var result = await _sup.SupFromShellAsync("exec >&-", args.Split(' '));

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("Cannot write to standard output: Bad file descriptor.", result.Stderr.TrimEnd('\n'));
    }

    [Fact]
    public async Task A_bare_sup_shows_the_help()
    {
        var result = await _sup.SupAsync();

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Usage:", result.Stdout);
        Assert.Contains("start <file-or-script>", result.Stdout);
        Assert.Equal("", result.Stderr);
    }
}
