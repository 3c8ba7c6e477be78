using System.Text;

namespace Supervisor.Core.Config;

/// <summary>Command lines as users write them in `command`, `args` and `interpreter_args`.</summary>
internal static class CommandLine
{
    // Anything a shell would interpret rather than pass through as a plain word.
    private const string ShellMetacharacters = "|&;<>()$`\\\"'*?[]#~=%\n";

    public static bool NeedsShell(string command) => command.AsSpan().IndexOfAny(ShellMetacharacters) >= 0;

    /// <summary>Splits on whitespace; used only for commands without shell metacharacters.</summary>
    public static string[] SplitWords(string command) =>
        command.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);

    /// <summary>
    /// Splits the way a POSIX shell splits words, without expansions: whitespace separates,
    /// single quotes are literal, double quotes honour backslash escapes of <c>\ " $ `</c>,
    /// a backslash outside quotes escapes the next character.
    /// </summary>
    /// <returns>False with an error message when a quote is left open.</returns>
    public static bool TrySplit(string text, out List<string> words, out string? error)
    {
        words = [];
        error = null;
        var word = new StringBuilder();
        var inWord = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            switch (c)
            {
                case ' ' or '\t' or '\n' or '\r':
                    if (inWord)
                    {
                        words.Add(word.ToString());
                        word.Clear();
                        inWord = false;
                    }

                    break;
                case '\'':
                    var close = text.IndexOf('\'', i + 1);
                    if (close < 0)
                    {
                        error = "has an unterminated single quote";
                        return false;
                    }

                    word.Append(text, i + 1, close - i - 1);
                    i = close;
                    inWord = true;
                    break;
                case '"':
                    i++;
                    while (i < text.Length && text[i] != '"')
                    {
                        if (text[i] == '\\' && i + 1 < text.Length && text[i + 1] is '\\' or '"' or '$' or '`')
                        {
                            i++;
                        }

                        word.Append(text[i]);
                        i++;
                    }

                    if (i >= text.Length)
                    {
                        error = "has an unterminated double quote";
                        return false;
                    }

                    inWord = true;
                    break;
                case '\\' when i + 1 < text.Length:
                    word.Append(text[++i]);
                    inWord = true;
                    break;
                default:
                    word.Append(c);
                    inWord = true;
                    break;
            }
        }

        if (inWord)
        {
            words.Add(word.ToString());
        }

        return true;
    }
}
