namespace Supervisor.Core.Config;

/// <summary>
/// Finds programs the way the daemon will start them: on the PATH of the environment the app
/// gets (its own env over the daemon's), with <c>~</c> meaning that environment's HOME.
/// </summary>
internal sealed class ProgramLocator
{
    private readonly string? _path;
    private readonly string? _home;

    public ProgramLocator(
        IReadOnlyDictionary<string, string>? baseEnvironment, IReadOnlyDictionary<string, string>? appEnvironment = null)
    {
        _path = Lookup("PATH", appEnvironment, baseEnvironment);
        _home = Lookup("HOME", appEnvironment, baseEnvironment)
            ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
    }

    /// <summary>An absolute path for <paramref name="path"/> written relative to <paramref name="folder"/>.</summary>
    public string Resolve(string path, string folder)
    {
        var expanded = path == "~" ? _home ?? path
            : path.StartsWith("~/", StringComparison.Ordinal) && _home is not null ? Path.Combine(_home, path[2..])
            : path;
        return Path.GetFullPath(expanded, folder);
    }

    /// <summary>The absolute path of an executable named <paramref name="name"/> on PATH, or null.</summary>
    public string? FindOnPath(string name)
    {
        if (string.IsNullOrEmpty(_path) || HasDirectory(name))
        {
            return null;
        }

        string[] extensions = OperatingSystem.IsWindows() && !Path.HasExtension(name) ? [".exe", ".cmd", ".bat", ""] : [""];
        foreach (var folder in _path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            foreach (var extension in extensions)
            {
                var candidate = Path.Combine(folder, name + extension);
                if (File.Exists(candidate) && IsExecutable(candidate))
                {
                    return Path.GetFullPath(candidate);
                }
            }
        }

        return null;
    }

    /// <summary>
    /// What to exec for a program named in a file: its path on PATH when found there, so the app's
    /// own PATH counts (Process.Start searches only the daemon's). A program that cannot be found
    /// is kept as written, with a warning: it may be installed before the app starts.
    /// </summary>
    public string FindProgram(string program, out string? warning)
    {
        warning = null;
        if (Path.IsPathRooted(program))
        {
            if (!IsExecutable(program))
            {
                warning = $"'{program}' does not exist or is not executable; the app will fail to start until it is.";
            }

            return program;
        }

        var found = FindOnPath(program);
        if (found is null)
        {
            warning = $"'{program}' is not installed or not on PATH; the app will fail to start until it is.";
        }

        return found ?? program;
    }

    public static bool HasDirectory(string path) =>
        path.Contains('/') || (OperatingSystem.IsWindows() && path.Contains('\\'));

    public static bool IsExecutable(string file)
    {
        if (OperatingSystem.IsWindows())
        {
            return File.Exists(file);
        }

        const UnixFileMode anyExecute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
        return File.Exists(file) && (File.GetUnixFileMode(file) & anyExecute) != 0;
    }

    private static string? Lookup(
        string name, IReadOnlyDictionary<string, string>? first, IReadOnlyDictionary<string, string>? second) =>
        first?.GetValueOrDefault(name) ?? (second is null ? Environment.GetEnvironmentVariable(name) : second.GetValueOrDefault(name));
}
