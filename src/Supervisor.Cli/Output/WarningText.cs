namespace Supervisor.Cli.Output;

/// <summary>
/// A warning as one line: a config problem is already "file:line:col: warning: ..." and is
/// printed as is (a second "warning: " in front made every warning read twice); anything else
/// (a state.json write problem) gets the word once.
/// </summary>
public static class WarningText
{
    public static string Line(string warning) =>
        warning.Contains(": warning: ", StringComparison.Ordinal) ? warning : "warning: " + warning;
}
