using System.CommandLine;

namespace Supervisor.Cli.Commands;

/// <summary>
/// PM2 verbs sup has no use for, each answered with one line saying the sup way and a non-zero
/// exit, so muscle memory learns instead of meeting a generic "unknown command".
/// </summary>
public static class Pm2Unneeded
{
    private const string Rotation = "log rotation is built in: set log_max_size (e.g. 10MB), log_retain and log_compress on the app in its ecosystem file (docs/ecosystem.md)";
    private const string Dashboard = "sup has no PM2.io dashboard: `sup monit` is the live view, `sup events` the event stream, and notify: sends events to a webhook or a command (docs/notifications.md)";

    public static Command Install() => Create("install", "PM2 modules (pm2 install): sup needs none; log rotation is built in.",
        args => args is [var module, ..] && module.StartsWith("pm2-logrotate", StringComparison.Ordinal)
            ? $"sup needs no pm2-logrotate: {Rotation}."
            : $"sup has no PM2 modules; {Rotation}, and `sup health` / notify: cover monitoring.");

    public static Command Set() => Create("set", "PM2's module settings (pm2 set): sup's live in the ecosystem file.",
        args => args is [var key, ..] && key.StartsWith("pm2-logrotate:", StringComparison.Ordinal)
            ? $"sup has no `set`: {Rotation}{Equivalent(key["pm2-logrotate:".Length..])}."
            : "sup has no `set`: every setting is a key of the app in its ecosystem file (docs/ecosystem.md).");

    public static Command Link() => Create("link", "PM2.io (pm2 link): not in sup.", _ => Dashboard + ".");

    public static Command Unlink() => Create("unlink", "PM2.io (pm2 unlink): not in sup.", _ => Dashboard + ".");

    public static Command Plus() => Create("plus", "PM2.io (pm2 plus): not in sup.", _ => Dashboard + ".");

    public static Command Deploy() => Create("deploy", "PM2's deploy: not in sup.",
        _ => "sup does not deploy: ship the code with your own tool (git, rsync, CI), then `sup startOrReload FILE` applies it.");

    /// <summary>pm2-logrotate's own keys, as sup's.</summary>
    private static string Equivalent(string key) => key switch
    {
        "max_size" => " (pm2-logrotate:max_size is log_max_size)",
        "retain" => " (pm2-logrotate:retain is log_retain)",
        "compress" => " (pm2-logrotate:compress is log_compress)",
        _ => "",
    };

    private static Command Create(string verb, string description, Func<string[], string> message)
    {
        var args = new Argument<string[]>("args") { Arity = ArgumentArity.ZeroOrMore };
        var command = new Command(verb, description) { args };
        command.Hidden = true;
        command.SetAction(parse =>
        {
            Console.Error.WriteLine(Terminal.Error($"sup {verb}: " + message(parse.GetValue(args) ?? [])));
            return ExitCodes.Usage;
        });
        return command;
    }
}
