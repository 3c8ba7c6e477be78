using Supervisor.Tests.TestSupport;
using Xunit;

namespace Supervisor.Tests.EndToEnd;

/// <summary>
/// A command line that does not parse: one line on stderr, exit 2, no daemon started. And a word
/// that begins with `@` is the user's text, never a response file of arguments.
/// </summary>
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

    [Theory]
    [InlineData("@yearly", "2027-01-01T00:00:00+00:00")]
    [InlineData("@annually", "2027-01-01T00:00:00+00:00")]
    [InlineData("@monthly", "2026-04-01T00:00:00+00:00")]
    [InlineData("@weekly", "2026-03-15T00:00:00+00:00")]
    [InlineData("@daily", "2026-03-11T00:00:00+00:00")]
    [InlineData("@midnight", "2026-03-11T00:00:00+00:00")]
    [InlineData("@hourly", "2026-03-10T13:00:00+00:00")]
    public async Task A_cron_macro_is_previewed_not_read_as_a_response_file(string macro, string next)
    {
        // Failed before with "Response file not found 'daily'": the parser took @daily for a file of arguments.
        var result = await _sup.SupAsync("cron", macro, "--tz", "UTC", "--next", "1", "--from", "2026-03-10T12:30:00Z");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.StartsWith(next, result.Stdout);
    }

    [Fact]
    public async Task An_app_argument_that_begins_with_at_reaches_the_app_as_written()
    {
        _sup.WriteFile("args.sh", "#!/bin/sh\nfor a in \"$@\"; do echo \"arg=$a\"; done\nexec sleep 300\n");
        File.WriteAllText(Path.Combine(_sup.Apps, "x"), "--bogus\n");

        await _sup.OkAsync("start", "./args.sh", "--name", "at", "--", "@x", "@missing");

        Assert.True(await Eventually.TrueAsync(() => Task.FromResult(_sup.ReadLog("at").Contains("arg=@missing")), TimeSpan.FromSeconds(10)), _sup.ReadLog("at"));
        Assert.Equal(["arg=@x", "arg=@missing"], _sup.ReadLog("at").Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }
}
