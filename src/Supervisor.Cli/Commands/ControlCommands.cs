using System.CommandLine;
using Supervisor.Cli.Output;
using Supervisor.Core.Protocol;

namespace Supervisor.Cli.Commands;

/// <summary>`sup stop|restart|delete NAME|all`, as in PM2.</summary>
public static class ControlCommands
{
    public static Command Stop() => Create("stop", "Stop an app (or all): stop_signal to its whole tree, SIGKILL after kill_timeout.",
        (d, name, _, ct) => d.StopAsync(name, ct));
    public static Command Restart() => Create("restart", "Restart an app (or all) with a fresh crash count.",
        (d, name, env, ct) => d.RestartAsync(name, env, ct),
        new Option<bool>("--update-env") { Description = "Restart with this shell's environment; the app's own env still applies on top." });

    public static Command Delete()
    {
        var name = NameArgument();
        var command = new Command("delete", "Stop an app (or all) and forget it.") { name };
        command.Aliases.Add("del");
        command.SetAction(async (parse, ct) =>
        {
            var result = await DaemonCall.InvokeAsync(d => d.DeleteAsync(parse.GetValue(name)!, ct), ct);
            foreach (var deleted in result) Console.WriteLine($"deleted  {deleted}");
            return ExitCodes.Ok;
        });
        return command;
    }

    internal static Argument<string> NameArgument() => new("name") { Description = "App name, or `all`." };

    private static Command Create(string verb, string description,
        Func<ISupDaemon, string, Dictionary<string, string>?, CancellationToken, Task<AppInfo[]>> call, Option<bool>? updateEnv = null)
    {
        var name = NameArgument();
        var command = new Command(verb, description) { name };
        if (updateEnv is not null) command.Add(updateEnv);
        command.SetAction(async (parse, ct) =>
        {
            // PM2's `restart FILE`: the file applied, and what it left unchanged restarted.
            if (verb == "restart" && Pm2FileVerbs.NamesFile(parse.GetValue(name)!))
                return await Pm2FileVerbs.StartThenRestartAsync(parse.GetValue(name)!, null, null, reload: false, ct);
            var env = updateEnv is not null && parse.GetValue(updateEnv) ? ShellEnvironment() : null;
            var result = await DaemonCall.InvokeAsync(d => call(d, parse.GetValue(name)!, env, ct), ct);
            Console.Write(AppTable.Render(result));
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>PM2's --update-env: the daemon gets this shell's variables and keeps those that differ from its own.</summary>
    private static Dictionary<string, string> ShellEnvironment()
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (System.Collections.DictionaryEntry entry in Environment.GetEnvironmentVariables())
            if (entry.Key is string key && entry.Value is string value) env[key] = value;
        return env;
    }
}
