namespace Supervisor.Core.Config;

/// <summary>What actually gets exec'd: <see cref="AppSpec.FileName"/> and <see cref="AppSpec.Arguments"/>.</summary>
internal sealed record Launch(string FileName, IReadOnlyList<string> Arguments)
{
    public static Launch ForScript(
        string script, string? interpreter, IReadOnlyList<string> interpreterArgs, IReadOnlyList<string> args) =>
        interpreter is null
            ? new Launch(script, [.. interpreterArgs, .. args])
            : new Launch(interpreter, [.. interpreterArgs, script, .. args]);

    /// <summary>
    /// A plain command is split on whitespace and exec'd directly, so the app's PID is the program's
    /// and signals reach it; anything a shell would interpret runs under `sh -c`. Args are passed
    /// through "$@" so the shell neither re-splits nor expands them.
    /// </summary>
    public static Launch ForCommand(string command, IReadOnlyList<string> args, Func<string, string> resolveProgram)
    {
        if (CommandLine.NeedsShell(command))
        {
            return Shell(command, args);
        }

        var words = CommandLine.SplitWords(command);
        return new Launch(resolveProgram(words[0]), [.. words[1..], .. args]);
    }

    /// <summary>A job made of steps runs them in order, stopping at the first failure.</summary>
    public static Launch ForSteps(IReadOnlyList<string> steps) => Shell(string.Join(" && ", steps), []);

    private static Launch Shell(string command, IReadOnlyList<string> args)
    {
        if (OperatingSystem.IsWindows())
        {
            // cmd has no "$@": the args follow the command line.
            return new Launch("cmd.exe", ["/d", "/c", command, .. args]);
        }

        // "$0" is the name the shell reports itself as; "$@" are the args, unsplit and unexpanded.
        return args.Count == 0
            ? new Launch("sh", ["-c", command])
            : new Launch("sh", ["-c", command + " \"$@\"", "sh", .. args]);
    }
}
