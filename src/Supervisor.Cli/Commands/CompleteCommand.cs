using System.CommandLine;
using Supervisor.Core.Daemon;

namespace Supervisor.Cli.Commands;

/// <summary>
/// `sup complete --position N "LINE"` (hidden): what the shell scripts of `sup completion` call on
/// TAB. Subcommands and options come from System.CommandLine's own completion; app names come
/// from a running daemon (asked with a short timeout). Completion never starts the daemon.
/// </summary>
public static class CompleteCommand
{
    /// <summary>Arguments that name apps: these complete with the daemon's app names.</summary>
    private static readonly HashSet<string> AppNameArguments = new(StringComparer.Ordinal) { "name", "job", "pattern" };

    // The native sup answers in milliseconds; the JIT build compiles StreamJsonRpc's client on its
    // first call (about 0.3 s here, more on a loaded machine), which 500 ms did not always cover.
    private static readonly TimeSpan AskDaemonFor = TimeSpan.FromSeconds(2);

    public static Command Create()
    {
        var line = new Argument<string>("line") { Description = "The command line being completed, starting with the program name." };
        var position = new Option<int?>("--position") { Description = "Cursor position in the line (default: its end)." };
        var command = new Command("complete", "Print completions for a command line (used by `sup completion` scripts).") { line, position };
        command.Hidden = true;
        command.SetAction(async (parse, ct) =>
        {
            var text = parse.GetValue(line) ?? "";
            var completions = await CompleteAsync(text, parse.GetValue(position) ?? text.Length, AppNamesAsync, ct);
            foreach (var completion in completions) Console.WriteLine(completion);
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <param name="line">As the shell has it: the program name, then the arguments.</param>
    /// <param name="appNames">Asked only when the word at the cursor is an app name.</param>
    public static async Task<IReadOnlyList<string>> CompleteAsync(
        string line, int position, Func<CancellationToken, Task<IReadOnlyList<string>>> appNames, CancellationToken cancellationToken)
    {
        // Drop the program name: the parser sees arguments only.
        var trimmed = line.TrimStart();
        position -= line.Length - trimmed.Length;
        var programEnd = trimmed.IndexOfAny([' ', '\t']);
        var arguments = programEnd < 0 ? "" : trimmed[programEnd..];
        var cursor = Math.Max(0, position - (programEnd < 0 ? trimmed.Length : programEnd));
        if (cursor > arguments.Length) arguments = arguments.PadRight(cursor);
        arguments = arguments[..cursor];

        var root = SupCli.Build();
        var parse = root.Parse(arguments, SupCli.Parsing);
        var nameArguments = parse.CommandResult.Command.Arguments.Where(a => AppNameArguments.Contains(a.Name)).ToList();
        if (nameArguments.Count > 0)
        {
            var names = await appNames(cancellationToken);
            foreach (var argument in nameArguments) argument.CompletionSources.Add(_ => names);
        }

        var word = parse.GetCompletionContext().WordToComplete;
        return parse.GetCompletions(arguments.Length)
            .Select(c => c.InsertText ?? c.Label)
            .Where(c => c.StartsWith(word, StringComparison.Ordinal) && !IsHelpSpelling(c))
            .Distinct(StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>`--help` is offered; its DOS and one-letter spellings would only crowd the list.</summary>
    private static bool IsHelpSpelling(string completion) => completion is "-?" or "-h" or "/?" or "/h";

    /// <summary>The daemon's app names, or none when it is not running or slow: a TAB must never hang or start it.</summary>
    private static async Task<IReadOnlyList<string>> AppNamesAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(AskDaemonFor);
        try
        {
            var reply = await DaemonCall.InvokeAsync(d => d.ListAsync(timeout.Token), timeout.Token, startIfNeeded: false);
            return reply.Select(a => a.Name).ToList();
        }
        catch (Exception ex) when (ex is Core.SupException or OperationCanceledException or IOException or TimeoutException)
        {
            return [];
        }
    }
}
