namespace Supervisor.Core.Startup;

/// <summary>One command `sup startup` runs (or, with --dry-run, would run).</summary>
public sealed record StartupCommand(string FileName, IReadOnlyList<string> Arguments)
{
    public static StartupCommand Of(string fileName, params IEnumerable<string> arguments) => new(fileName, [.. arguments]);

    /// <summary>As a user would type it (arguments with spaces quoted).</summary>
    public override string ToString() =>
        string.Join(' ', new[] { FileName }.Concat(Arguments).Select(a => a.Length > 0 && !a.Any(char.IsWhiteSpace) ? a : $"\"{a}\""));
}
