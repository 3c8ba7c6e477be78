using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Supervisor.Core.Config;

/// <summary>
/// The rule for app names. As in PM2, a name may hold spaces, ':' and other punctuation
/// ("API Server", "worker:emails"); where it becomes a file name (logs, PID file) it is made
/// safe by <see cref="FileSafe"/>.
/// </summary>
internal static partial class AppNames
{
    /// <summary>Selects every app in commands, so no app may be called that.</summary>
    public const string All = "all";

    public const int MaxLength = 200;

    [GeneratedRegex("^[A-Za-z0-9._-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex SafePattern();

    /// <summary>Why <paramref name="name"/> cannot name an app, or null when it can.</summary>
    public static string? Problem(string name) =>
        name.Trim().Length == 0 ? "an app name must not be empty."
        : name != name.Trim() ? $"'{name}' starts or ends with a space."
        : name.Any(char.IsControl) ? $"'{Printable(name)}' holds a control character (a newline or tab)."
        : name.IndexOfAny(['/', '\\']) >= 0 ? $"'{name}' holds a '/' or '\\', which commands would take for a path."
        : name.StartsWith('-') ? $"'{name}' starts with '-', which commands would read as an option."
        : name.Length > MaxLength ? $"'{name[..20]}...' is longer than {MaxLength} characters."
        : name == All ? $"'{All}' is reserved: commands use it to select every app."
        : null;

    /// <summary>
    /// The name as a file name: itself when it is only letters, digits, '.', '_' and '-' (and not
    /// '.' or '..'); otherwise every other character becomes '_' and a short hash of the real name
    /// is added, so "my app" and "my_app" never share a log file.
    /// </summary>
    public static string FileSafe(string name)
    {
        if (SafePattern().IsMatch(name) && name is not "." and not "..")
        {
            return name;
        }

        var safe = new StringBuilder(name.Length + 9);
        foreach (var c in name)
        {
            safe.Append(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' ? c : '_');
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(name)))[..8];
        return $"{safe}-{hash}";
    }

    private static string Printable(string name) => new([.. name.Select(c => char.IsControl(c) ? '?' : c)]);
}
