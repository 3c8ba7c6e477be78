using Xunit;
using Supervisor.Cli.Commands;

namespace Supervisor.Tests.Cli;

/// <summary>`sup completion SHELL` scripts and the `sup complete` answers they ask for.</summary>
public sealed class CompletionTests
{
    private static Task<IReadOnlyList<string>> Names(CancellationToken _) =>
        Task.FromResult<IReadOnlyList<string>>(["gmail-watcher", "api", "gmail-sender"]);

    private static Task<IReadOnlyList<string>> NoDaemon(CancellationToken _) =>
        throw new Xunit.Sdk.XunitException("the daemon must not be asked for this line");

    [Fact]
    public async Task Subcommands_complete_from_their_first_letters()
    {
        var completions = await CompleteCommand.CompleteAsync("sup st", 6, NoDaemon, CancellationToken.None);

        Assert.Equal(["start", "startOrReload", "startOrRestart", "startup", "status", "stop"], completions.Order());
    }

    [Fact]
    public async Task An_app_name_argument_completes_with_the_daemons_app_names()
    {
        Assert.Equal(["gmail-sender", "gmail-watcher"], (await CompleteCommand.CompleteAsync("sup stop g", 10, Names, CancellationToken.None)).Order());
        Assert.Contains("api", await CompleteCommand.CompleteAsync("sup describe ", 13, Names, CancellationToken.None));
        Assert.Equal(["gmail-watcher"], await CompleteCommand.CompleteAsync("sup logs gmail-w", 16, Names, CancellationToken.None));
    }

    [Fact]
    public async Task The_cursor_position_decides_which_word_is_completed()
    {
        var completions = await CompleteCommand.CompleteAsync("sup st gmail", 6, NoDaemon, CancellationToken.None);

        Assert.Contains("stop", completions);
    }

    [Fact]
    public async Task Option_values_complete_from_their_choices()
    {
        Assert.Equal(["cpu", "memory", "name", "restarts", "uptime"], (await CompleteCommand.CompleteAsync("sup ls --sort ", 14, Names, CancellationToken.None)).Order());
        Assert.Equal(["--show-secrets"], await CompleteCommand.CompleteAsync("sup describe api --sh", 21, Names, CancellationToken.None));
    }

    [Theory]
    [InlineData("bash", "complete -F")]
    [InlineData("zsh", "compdef")]
    [InlineData("fish", "complete -c sup")]
    [InlineData("pwsh", "Register-ArgumentCompleter")]
    public void Each_shell_gets_a_script_that_calls_back_sup_complete(string shell, string hook)
    {
        var script = CompletionCommand.Script(shell);

        Assert.Contains(hook, script);
        Assert.Contains("complete --position", script);
    }
}
