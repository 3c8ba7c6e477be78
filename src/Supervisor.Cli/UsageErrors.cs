using System.CommandLine;
using System.CommandLine.Parsing;
using Supervisor.Core.Config;

namespace Supervisor.Cli;

/// <summary>
/// A command line that does not parse, said in one line: what is wrong, the likely meant
/// command or option, and where the usage is (`sup stpo x` → "Unrecognized command or
/// argument 'stpo'. Did you mean 'stop'? See `sup --help`."). The parser's own report would
/// print every error, a list of guesses and the whole help text.
/// </summary>
internal static class UsageErrors
{
    /// <summary>Arguments that name apps or jobs: a value starting with '-' is a mistyped option, not a name.</summary>
    private static readonly HashSet<string> NameArguments = ["name", "job", "pattern"];

    /// <summary>Makes `sup ls --bogus` an error instead of a search for an app named "--bogus".</summary>
    public static void RejectOptionsAsNames(Command command)
    {
        foreach (var argument in command.Arguments.Where(a => NameArguments.Contains(a.Name)))
        {
            argument.Validators.Add(result =>
            {
                foreach (var token in result.Tokens.Where(t => t.Value.Length > 1 && t.Value[0] == '-'))
                    result.AddError($"Unrecognized option '{token.Value}'.");
            });
        }
        foreach (var sub in command.Subcommands) RejectOptionsAsNames(sub);
    }

    public static string Describe(ParseResult parse)
    {
        var error = parse.Errors.FirstOrDefault(e => e.Message.StartsWith("Unrecognized", StringComparison.Ordinal)) ?? parse.Errors[0];
        var command = parse.CommandResult.Command;
        // The token at fault: one the parser could not place, or an option-like value our
        // validator refused (it stands in the argument's own tokens).
        var token = parse.UnmatchedTokens.FirstOrDefault()
            ?? (error.SymbolResult as ArgumentResult)?.Tokens.FirstOrDefault(t => t.Value.StartsWith('-'))?.Value;
        var guess = Guess(command, token);
        var path = string.Join(' ', Path(parse.CommandResult).Prepend("sup"));
        return OneLine(error.Message) + (guess is null ? "" : $" Did you mean '{guess}'?") + $" See `{path} --help`.";
    }

    /// <summary>"Must be one of:\n\t'name'\n\t'cpu'" → "Must be one of: 'name', 'cpu'".</summary>
    private static string OneLine(string message)
    {
        var lines = message.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        return lines.Length == 1 ? lines[0] : lines[0] + " " + string.Join(", ", lines[1..]) + ".";
    }

    private static string? Guess(Command command, string? token)
    {
        if (token is null) return null;
        if (token.StartsWith('-'))
        {
            var options = command.Options.SelectMany(o => o.Aliases.Prepend(o.Name)).Where(n => n.StartsWith("--", StringComparison.Ordinal));
            return KeySuggester.Suggest(token.TrimStart('-'), options.Select(n => n[2..])) is { } option ? "--" + option : null;
        }
        return KeySuggester.Suggest(token, command.Subcommands.SelectMany(c => c.Aliases.Prepend(c.Name)));
    }

    private static IEnumerable<string> Path(CommandResult result)
    {
        var names = new Stack<string>();
        for (SymbolResult? r = result; r is CommandResult c && c.Parent is not null; r = r.Parent)
            names.Push(c.Command.Name);
        return names;
    }
}
