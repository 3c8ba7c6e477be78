using Supervisor.Core.Config;

namespace Supervisor.Core.Supervision;

/// <summary>What to exec, where, with which variables over the daemon's environment.</summary>
public sealed record ChildCommand(
    string FileName,
    IReadOnlyList<string> Arguments,
    string WorkingDirectory,
    IReadOnlyDictionary<string, string> Environment)
{
    public static ChildCommand For(AppSpec spec)
    {
        var env = new Dictionary<string, string>(spec.Env) { ["SUP_APP_NAME"] = spec.Name };
        return new ChildCommand(spec.FileName, spec.Arguments, spec.Cwd, env);
    }

    /// <summary>A job step: a command line for `sh -c`, run in the app's folder and env.</summary>
    public static ChildCommand ForStep(AppSpec spec, string commandLine, IReadOnlyList<string> extraArgs)
    {
        var args = new List<string> { "-c", commandLine, "sh" };
        args.AddRange(extraArgs);
        var env = new Dictionary<string, string>(spec.Env) { ["SUP_APP_NAME"] = spec.Name };
        return new ChildCommand("/bin/sh", args, spec.Cwd, env);
    }

    public ChildCommand WithEnvironment(string key, string value) =>
        this with { Environment = new Dictionary<string, string>(Environment) { [key] = value } };

    public ChildCommand WithExtraArgument(string argument) =>
        this with { Arguments = [.. Arguments, argument] };
}
