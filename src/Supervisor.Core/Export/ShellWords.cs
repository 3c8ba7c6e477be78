namespace Supervisor.Core.Export;

/// <summary>POSIX shell quoting for generated scripts: every word in single quotes.</summary>
internal static class ShellWords
{
    public static string Quote(string word) => "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    public static string Join(string fileName, IEnumerable<string> args) =>
        string.Join(' ', new[] { fileName }.Concat(args).Select(Quote));
}
