using System.Text.RegularExpressions;

namespace Supervisor.Core.Config;

/// <summary>The rule for app names: they become file names and command arguments.</summary>
internal static partial class AppNames
{
    /// <summary>Selects every app in commands, so no app may be called that.</summary>
    public const string All = "all";

    [GeneratedRegex("^[A-Za-z0-9._-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();

    /// <summary>Why <paramref name="name"/> cannot name an app, or null when it can.</summary>
    public static string? Problem(string name) =>
        !Pattern().IsMatch(name) ? $"'{name}' may contain only letters, digits, '.', '_' and '-'."
        : name == All ? $"'{All}' is reserved: commands use it to select every app."
        : null;
}
