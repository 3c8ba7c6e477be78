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
    };

    public static string? ForScript(string path) => ByExtension.GetValueOrDefault(Path.GetExtension(path));
}
