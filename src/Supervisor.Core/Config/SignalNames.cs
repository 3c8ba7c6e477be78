namespace Supervisor.Core.Config;

/// <summary>
/// Signal names as users write them (<c>SIGTERM</c>, <c>TERM</c>, <c>term</c>, <c>15</c>), made canonical.
/// </summary>
public static class SignalNames
{
    // Numbers are accepted only where Linux and macOS agree; the rest must be named
    // (SIGUSR1 is 10 on Linux and 30 on macOS).
    private static readonly Dictionary<string, int?> Known = new(StringComparer.OrdinalIgnoreCase)
    {
        ["SIGHUP"] = 1,
        ["SIGINT"] = 2,
        ["SIGQUIT"] = 3,
        ["SIGABRT"] = 6,
        ["SIGKILL"] = 9,
        ["SIGALRM"] = 14,
        ["SIGTERM"] = 15,
        ["SIGUSR1"] = null,
        ["SIGUSR2"] = null,
        ["SIGCONT"] = null,
        ["SIGSTOP"] = null,
        ["SIGTSTP"] = null,
        ["SIGWINCH"] = null,
    };

    /// <summary>Canonical form (<c>SIGTERM</c>) of a signal name or portable number.</summary>
    public static bool TryNormalize(string? text, out string canonical)
    {
        canonical = "";
        var trimmed = text?.Trim();
        if (string.IsNullOrEmpty(trimmed))
        {
            return false;
        }

        if (int.TryParse(trimmed, out var number))
        {
            canonical = Known.FirstOrDefault(pair => pair.Value == number).Key ?? "";
            return canonical.Length > 0;
        }

        var name = trimmed.StartsWith("SIG", StringComparison.OrdinalIgnoreCase) ? trimmed : "SIG" + trimmed;
        if (!Known.ContainsKey(name))
        {
            return false;
        }

        canonical = name.ToUpperInvariant();
        return true;
    }
}
