using YamlDotNet.RepresentationModel;

namespace Supervisor.Core.Config;

/// <summary>What the user wrote to run an app, and what that resolves to.</summary>
internal sealed record LaunchParts(
    string? Script, string? Command, string? Interpreter,
    IReadOnlyList<string> InterpreterArgs, IReadOnlyList<string> Args, Launch Launch);

internal sealed partial class AppReader
{
    private LaunchParts? ReadLaunch(string? name, string cwd, IReadOnlyDictionary<string, string> env, JobSpec? job)
    {
        var interpreterArgsKey = Aliased("interpreter_args", "node_args");
        var interpreterArgs = GetRef(interpreterArgsKey, _values.Words) ?? [];
        var args = GetRef("args", _values.Words) ?? [];
        var interpreter = GetRef(Pm2Key("interpreter"), _values.String);
        TryGet(Pm2Key("script"), out var scriptNode);
        TryGet("command", out var commandNode);
        var hasSteps = job is { Steps.Count: > 0 };
        if (TryGet("run", out var runNode))
        {
            return ReadRun(runNode, env);
        }

        if (scriptNode is not null && commandNode is not null)
        {
            Problems.Error(KeyNode("command"), "Give either script or command, not both.");
            return null;
        }

        if (hasSteps && (scriptNode ?? commandNode) is not null)
        {
            Problems.Error(KeyNode("steps"), "steps replace script and command; give steps or one of them.");
            return null;
        }

        if (scriptNode is null && commandNode is null && !hasSteps)
        {
            var what = job is null ? "script or command" : "script, command or steps";
            Problems.Error(_node, $"App '{name ?? "?"}' has nothing to run; give {what}.");
            return null;
        }

        if (scriptNode is null)
        {
            foreach (var key in new[] { "interpreter", interpreterArgsKey }.Where(Has))
            {
                Problems.Error(KeyNode(key), $"{key} applies to script only; with command, write the interpreter in the command.");
            }

            if (hasSteps && Has("args"))
            {
                Problems.Error(KeyNode("args"), "args applies to script or command, not to steps; write them in each step.");
            }
        }

        var locator = new ProgramLocator(_options.BaseEnvironment, env);
        if (hasSteps)
        {
            return new LaunchParts(null, null, null, [], [], Launch.ForSteps(job!.Steps));
        }

        if (scriptNode is not null)
        {
            return ReadScript(scriptNode, interpreter, interpreterArgs, args, cwd, locator);
        }

        var command = _values.String("command", commandNode!);
        if (command is null)
        {
            return null;
        }

        var launch = Launch.ForCommand(command.Trim(), args, program => ResolveProgram(program, commandNode!, cwd, locator));
        return new LaunchParts(null, command, null, [], args, launch);
    }

    private LaunchParts? ReadScript(
        YamlNode node, string? interpreter, IReadOnlyList<string> interpreterArgs, IReadOnlyList<string> args,
        string cwd, ProgramLocator locator)
    {
        var script = _values.String("script", node);
        if (script is null)
        {
            return null;
        }

        // PM2 runs a script that is no file but a command line ("npx serve dist -s", "npm run
        // start") as a command; sup runs it as `command` would be run.
        if (interpreter is null && Pm2Keys.IsCommandLine(script) && !File.Exists(locator.Resolve(script.Trim(), cwd)))
        {
            var commandLine = script.Trim();
            var asCommand = Launch.ForCommand(commandLine, args, program => ResolveProgram(program, node, cwd, locator));
            return new LaunchParts(null, commandLine, null, [], args, asCommand);
        }

        var resolved = ScriptResolver.Resolve(script, interpreter, cwd, locator);
        if (resolved.Error is not null)
        {
            Problems.Error(node, $"script: {resolved.Error}");
            return null;
        }

        if (resolved.Warning is not null)
        {
            Problems.Warning(TryGet("interpreter", out var interpreterNode) ? interpreterNode : node, resolved.Warning);
        }

        return new LaunchParts(
            resolved.Path, null, resolved.Interpreter, interpreterArgs, args, resolved.ToLaunch(interpreterArgs, args));
    }

    /// <summary>
    /// The program of a plain command: a path is made absolute against the app's folder (Process.Start
    /// would take it relative to the daemon's), a bare name is looked up on the app's PATH.
    /// </summary>
    private string ResolveProgram(string program, YamlNode commandNode, string cwd, ProgramLocator locator)
    {
        if (ProgramLocator.HasDirectory(program))
        {
            var path = locator.Resolve(program, cwd);
            if (!ProgramLocator.IsExecutable(path))
            {
                Problems.Error(commandNode, File.Exists(path)
                    ? $"command: '{program}' is not executable; run chmod +x {path} or start it through its interpreter."
                    : $"command: '{program}' does not exist (looked for {path}).");
            }

            return path;
        }

        var found = locator.FindProgram(program, out var warning);
        if (warning is not null)
        {
            Problems.Warning(commandNode, $"command: {warning}");
        }

        return found;
    }
}
