namespace Supervisor.Core.Config;

/// <summary>
/// Where a `script` is and what runs it, or why it cannot run. <see cref="Interpreter"/> is as
/// written or inferred; <see cref="Runner"/> is what to exec for it (its path when found on PATH).
/// </summary>
internal sealed record ResolvedScript(string? Path, string? Interpreter, string? Runner, string? Error, string? Warning)
{
    /// <summary>Arguments of the interpreter that the script's own `#!` line gives (`#!/bin/bash -e`).</summary>
    public IReadOnlyList<string> RunnerArgs { get; init; } = [];

    public Launch ToLaunch(IReadOnlyList<string> interpreterArgs, IReadOnlyList<string> args) =>
        Launch.ForScript(Path!, Runner, [.. RunnerArgs, .. interpreterArgs], args);
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

        // A shell script's own #! line says which shell (a bash script run by sh dies on arrays).
        var shebang = interpreter is null && Path.GetExtension(path) == ".sh" ? Shebang.Read(path) : null;
        var chosen = interpreter switch
        {
            Interpreters.None => null,
            null when shebang is not null => shebang.Program,
            null => Interpreters.ForScript(path),
            _ when ProgramLocator.HasDirectory(interpreter) || interpreter.StartsWith('~') => locator.Resolve(interpreter, cwd),
            _ => interpreter,
        };

        if (chosen is null)
        {
            if (ProgramLocator.IsExecutable(path))
            {
                return new ResolvedScript(path, null, null, null, null);
            }

            // PM2 runs a file it has no rule for with node (`bin/www` of an Express app).
            if (interpreter is null && Path.GetExtension(path).Length == 0)
            {
                chosen = Interpreters.Default;
            }
            else
            {
                return Failed($"'{script}' is not executable and no interpreter runs it: set interpreter: (for example interpreter: sh) or run chmod +x {path}.");
            }
        }

        var runner = locator.FindProgram(chosen, out var warning);
        return new ResolvedScript(path, chosen, runner, null, warning is null ? null : $"interpreter {warning}")
        {
            RunnerArgs = interpreter is null && shebang is not null ? shebang.Arguments : [],
        };
    }

    private static ResolvedScript Failed(string error) => new(null, null, null, error, null);
}
