namespace Supervisor.Core.Config;

/// <summary>Builds specs for apps started without an ecosystem file.</summary>
public static class AppSpecFactory
{
    /// <summary>
    /// The app of <c>sup start SCRIPT --name NAME -- ARGS</c>: SCRIPT is a path relative to
    /// <paramref name="cwd"/> or a program on PATH; its interpreter is inferred from the extension.
    /// </summary>
    /// <exception cref="SupException">BadArgument: the name is invalid or the script cannot be run.</exception>
    public static AppSpec AdHoc(
        string scriptOrProgram, string name, IReadOnlyList<string> args, string cwd,
        IReadOnlyDictionary<string, string>? env = null)
    {
        if (AppNames.Problem(name) is { } problem)
        {
            throw new SupException(SupError.BadArgument, $"Invalid app name: {problem}");
        }

        var folder = Path.GetFullPath(cwd);
        if (!Directory.Exists(folder))
        {
            throw new SupException(SupError.BadArgument, $"The working folder {folder} does not exist.");
        }

        var resolved = ScriptResolver.Resolve(scriptOrProgram, interpreter: null, folder, new ProgramLocator(null, env));
        // Unlike a file, which may name programs installed later, an ad-hoc start runs now.
        if ((resolved.Error ?? resolved.Warning) is { } reason)
        {
            throw new SupException(SupError.BadArgument, $"Cannot start {name}: {reason}");
        }

        var launch = resolved.ToLaunch([], args);
        return new AppSpec
        {
            Name = name,
            FileName = launch.FileName,
            Arguments = launch.Arguments,
            Script = resolved.Path,
            Interpreter = resolved.Interpreter,
            Args = [.. args],
            Cwd = folder,
            Env = env is null ? new Dictionary<string, string>() : new Dictionary<string, string>(env, StringComparer.Ordinal),
            ExplicitKeys = new HashSet<string>(StringComparer.Ordinal) { "name", "script", "args", "cwd" },
        };
    }
}
