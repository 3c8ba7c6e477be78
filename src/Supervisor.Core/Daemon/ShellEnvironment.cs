namespace Supervisor.Core.Daemon;

/// <summary>
/// `sup restart NAME --update-env`, as in PM2: the app gets the environment of the shell that ran
/// the command, with the app's own <c>env</c> (from its file) still applied on top. Precedence,
/// lowest first: the daemon's environment, the shell's, the app's env.
/// </summary>
public static class ShellEnvironment
{
    /// <summary>
    /// The app's new env: the shell's variables that differ from the daemon's (the rest it already
    /// inherits), then <paramref name="declared"/> over them. Variables that describe the shell
    /// session rather than configuration (PWD, SHLVL ...) and sup's own SUP_* are left out.
    /// A variable unset in the shell but set in the daemon stays set: env can add and override, not remove.
    /// </summary>
    public static IReadOnlyDictionary<string, string> Merge(
        IReadOnlyDictionary<string, string> declared,
        IReadOnlyDictionary<string, string> shell,
        IReadOnlyDictionary<string, string> daemon)
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in shell)
        {
            if (IsSessionVariable(name)) continue;
            if (daemon.TryGetValue(name, out var inherited) && inherited == value) continue;
            env[name] = value;
        }

        foreach (var (name, value) in declared) env[name] = value;
        return env;
    }

    public static IReadOnlyDictionary<string, string> Current()
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (System.Collections.DictionaryEntry entry in Environment.GetEnvironmentVariables())
            if (entry.Key is string name && entry.Value is string value) env[name] = value;
        return env;
    }

    private static bool IsSessionVariable(string name) =>
        name is "PWD" or "OLDPWD" or "SHLVL" or "_" || name.StartsWith("SUP_", StringComparison.Ordinal);
}
