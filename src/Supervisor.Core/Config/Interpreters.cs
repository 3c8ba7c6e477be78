namespace Supervisor.Core.Config;

/// <summary>Which interpreter runs a script, as PM2 infers it from the extension.</summary>
internal static class Interpreters
{
    /// <summary>PM2's <c>interpreter: none</c>: run the script itself.</summary>
    public const string None = "none";

    private static readonly Dictionary<string, string> ByExtension = new(StringComparer.OrdinalIgnoreCase)
    {
        [".py"] = "python3",
        [".sh"] = "sh",
        [".bash"] = "bash",
        [".js"] = "node",
        [".mjs"] = "node",
        [".cjs"] = "node",
        [".ps1"] = "pwsh",
        [".rb"] = "ruby",
        [".pl"] = "perl",
        // PM2's table has these too.
        [".php"] = "php",
        [".coffee"] = "coffee",
        // TypeScript: PM2 runs it with ts-node; `interpreter: tsx` (or bun) works as well.
        [".ts"] = "ts-node",
        [".mts"] = "ts-node",
        [".cts"] = "ts-node",
    };

    /// <summary>PM2 runs a script it has no rule for, that is not a program, with node.</summary>
    public const string Default = "node";

    public static string? ForScript(string path) => ByExtension.GetValueOrDefault(Path.GetExtension(path));
}
