using Supervisor.Core.Config;
using Xunit;

namespace Supervisor.Tests.Config;

public sealed class CommandLineTests
{
    [Theory]
    [InlineData("a b  c", new[] { "a", "b", "c" })]
    [InlineData("--label 'two words'", new[] { "--label", "two words" })]
    [InlineData("--label \"two \\\"quoted\\\" words\"", new[] { "--label", "two \"quoted\" words" })]
    [InlineData("a\\ b c", new[] { "a b", "c" })]
    [InlineData("x='' y", new[] { "x=", "y" })]
    [InlineData("''", new[] { "" })]
    [InlineData("", new string[0])]
    public void Strings_are_split_like_a_shell_splits_words(string text, string[] expected)
    {
        Assert.True(CommandLine.TrySplit(text, out var words, out _));
        Assert.Equal(expected, words);
    }

    [Theory]
    [InlineData("'open")]
    [InlineData("\"open")]
    public void An_unterminated_quote_is_an_error(string text)
    {
        Assert.False(CommandLine.TrySplit(text, out _, out var error));
        Assert.Contains("unterminated", error);
    }

    [Theory]
    [InlineData("python3 -u x.py", false)]
    [InlineData("./plugins/twitter get", false)]
    [InlineData("a | b", true)]
    [InlineData("a && b", true)]
    [InlineData("a; b", true)]
    [InlineData("a > out", true)]
    [InlineData("echo $X", true)]
    [InlineData("echo `date`", true)]
    [InlineData("FOO=1 a", true)]
    [InlineData("ls ~", true)]
    [InlineData("ls *.md", true)]
    [InlineData("echo 'x'", true)]
    [InlineData("a # comment", true)]
    [InlineData("a\nb", true)]
    public void Shell_metacharacters_send_a_command_through_sh(string command, bool needsShell)
    {
        Assert.Equal(needsShell, CommandLine.NeedsShell(command));
    }
}
