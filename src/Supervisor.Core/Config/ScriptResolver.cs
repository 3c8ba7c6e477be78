namespace Supervisor.Core.Config;

/// <summary>
/// Where a `script` is and what runs it, or why it cannot run. <see cref="Interpreter"/> is as
/// written or inferred; <see cref="Runner"/> is what to exec for it (its path when found on PATH).
/// </summary>
internal sealed record ResolvedScript(string? Path, string? Interpreter, string? Runner, string? Error, string? Warning)
{
    public Launch ToLaunch(IReadOnlyList<string> interpreterArgs, IReadOnlyList<string> args) =>
        Launch.ForScript(Path!, Runner, interpreterArgs, args);
}

/// <summary>
/// Resolves a script the way PM2 does: a path relative to the app's folder, else a program on PATH;
/// the interpreter is the one given, else inferred from the extension, else none (run directly).
/// </summary>
internal static class ScriptResolver
{
    public static ResolvedScript Resolve(string script, string? interpreter, string cwd, ProgramLocator locator)
    {
        var path = locator.Resolve(script, cwd);
        if (Directory.Exists(path))
        {
            return Failed($"'{script}' is a folder ({path}), not a script.");
        }

        if (!File.Exists(path))
        {
            var onPath = ProgramLocator.HasDirectory(script) ? null : locator.FindOnPath(script);
            if (onPath is null)
            {
                return Failed(ProgramLocator.HasDirectory(script)
                    ? $"'{script}' does not exist (looked for {path})."
                    : $"'{script}' was not found: there is no {path} and no program of that name on PATH.");
            }

            path = onPath;
        }

        var chosen = interpreter switch
        {
            Interpreters.None => null,
            null => Interpreters.ForScript(path),
            _ when ProgramLocator.HasDirectory(interpreter) || interpreter.StartsWith('~') => locator.Resolve(interpreter, cwd),
            _ => interpreter,
        };

        if (chosen is null)
        {
            return ProgramLocator.IsExecutable(path)
                ? new ResolvedScript(path, null, null, null, null)
                : Failed($"'{script}' is not executable and no interpreter runs it: set interpreter: (for example interpreter: sh) or run chmod +x {path}.");
        }

        var runner = locator.FindProgram(chosen, out var warning);
        return new ResolvedScript(path, chosen, runner, null, warning is null ? null : $"interpreter {warning}");
    }

    private static ResolvedScript Failed(string error) => new(null, null, null, error, null);
}
