using System.CommandLine;
using Supervisor.Cli;
using Xunit;

namespace Supervisor.Tests.Cli;

/// <summary>
/// `sup VERB ...` is parsed with the root holding that verb alone (<see cref="VerbTable"/>).
/// A user must not be able to tell: for every verb of the full tree and every spelling of it,
/// the help text, the usage errors and their suggestions are the full tree's, word for word.
/// </summary>
public sealed class VerbTableTests
{
    public static TheoryData<string> EverySpelling()
    {
        var data = new TheoryData<string>();
        foreach (var verb in SupCli.Build().Subcommands)
        {
            foreach (var name in verb.Aliases.Prepend(verb.Name)) data.Add(name);
        }
        return data;
    }

    [Fact]
    public void Each_entry_names_exactly_the_verb_it_builds_and_the_full_tree_has_it()
    {
        var full = SupCli.Build().Subcommands.ToDictionary(c => c.Name);
        foreach (var (names, create) in VerbTable.All)
        {
            var verb = create();
            Assert.Equal(names, verb.Aliases.Prepend(verb.Name).ToArray());
            Assert.True(full.TryGetValue(verb.Name, out var same), $"'{verb.Name}' is in the table but not in SupCli.Build");
            Assert.Equal(same.Aliases.ToArray(), verb.Aliases.ToArray());
        }
    }

    [Fact]
    public void The_common_verbs_get_the_lean_tree()
    {
        foreach (var verb in new[] { "ls", "ping", "start", "restart", "stop", "logs", "cron" })
            Assert.Single(VerbTable.For([verb]).Subcommands);
    }

    [Theory]
    [MemberData(nameof(EverySpelling))]
    public void Help_reads_the_same(string verb) =>
        Assert.Equal(Help(SupCli.Build(), [verb, "--help"]), Help(VerbTable.For([verb]), [verb, "--help"]));

    [Theory]
    [MemberData(nameof(EverySpelling))]
    public void Usage_errors_read_the_same(string verb)
    {
        string[][] mistakes =
        [
            [verb, "--bogus"],
            [verb, "--jsn"],
            [verb, "a", "b", "c", "d"],
            [verb, "--", "-x"],
            [verb, "--help", "--version"],
        ];
        foreach (var args in mistakes)
            Assert.Equal(Error(SupCli.Build(), args), Error(VerbTable.For(args), args));
    }

    [Fact]
    public void Anything_but_a_known_verb_gets_the_full_tree()
    {
        var count = SupCli.Build().Subcommands.Count;
        string[][] others = [[], ["--help"], ["-h"], ["--version"], ["stpo", "x"], ["complete", "sup l"], ["[suggest]", "l"]];
        foreach (var args in others)
            Assert.Equal(count, VerbTable.For(args).Subcommands.Count);
    }

    [Fact]
    public void A_misspelt_verb_is_still_guessed_from_every_verb() =>
        Assert.Equal("Unrecognized command or argument 'stpo'. Did you mean 'stop'? See `sup --help`.", Error(VerbTable.For(["stpo", "x"]), ["stpo", "x"]));

    private static string Help(RootCommand root, string[] args)
    {
        var output = new StringWriter();
        var parse = root.Parse(args, SupCli.Parsing);
        Assert.Empty(parse.Errors);
        Assert.Equal(0, parse.Invoke(new InvocationConfiguration { Output = output, Error = output }));
        return output.ToString();
    }

    /// <summary>The one line `sup` prints for a command line that does not parse, or "" when it parses.</summary>
    private static string Error(RootCommand root, string[] args)
    {
        var parse = root.Parse(args, SupCli.Parsing);
        return parse.Errors.Count == 0 ? "" : UsageErrors.Describe(parse);
    }
}
