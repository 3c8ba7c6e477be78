using System.CommandLine;
using System.Globalization;
using Supervisor.Cli.Output;
using Supervisor.Core;
using Supervisor.Core.Protocol;

namespace Supervisor.Cli.Commands;

/// <summary>PM2's verbs that sup has as its own: `jlist`, `prettylist`, `env`, `scale`, `startOrRestart`, `startOrReload`.</summary>
public static class Pm2Commands
{
    public static Command Jlist() => List("jlist", "PM2's jlist: the apps as JSON, in PM2's field names (pm_id, pm2_env.status ...).", pretty: false);

    public static Command Prettylist() => List("prettylist", "PM2's prettylist: jlist, indented.", pretty: true);

    private static Command List(string verb, string description, bool pretty)
    {
        var command = new Command(verb, description);
        command.SetAction(async (parse, ct) =>
        {
            var apps = await DaemonCall.InvokeAsync(d => d.ListAsync(ct), ct);
            Stdout.Write(Pm2List.Serialize(Pm2List.Of(apps, DateTimeOffset.UtcNow), pretty) + "\n");
            return ExitCodes.Ok;
        });
        return command;
    }

    public static Command Env()
    {
        var name = new Argument<string>("name") { Description = "App name or id." };
        var secrets = new Option<bool>("--show-secrets") { Description = "Show values of variables that look secret (*TOKEN*, *SECRET*, *PASSWORD*, *KEY*)." };
        var json = new Option<bool>("--json") { Description = "Print a JSON object." };
        var command = new Command("env", "The environment of an app's process, as the app sees it (secrets masked).") { name, secrets, json };
        command.SetAction(async (parse, ct) =>
        {
            var env = await DaemonCall.InvokeAsync(d => d.EnvAsync(parse.GetValue(name)!, parse.GetValue(secrets), ct), ct);
            if (parse.GetValue(json))
            {
                Json.Print(env, Json.Contract.DictionaryStringString);
                return ExitCodes.Ok;
            }

            foreach (var (key, value) in env.OrderBy(kv => kv.Key, StringComparer.Ordinal))
                Stdout.Write($"{key}={value}\n");
            return ExitCodes.Ok;
        });
        return command;
    }

    public static Command Scale()
    {
        var name = new Argument<string>("name") { Description = "App name or id: a cluster, or an app started with instances." };
        var count = new Argument<string>("instances") { Description = "How many: N, or +N / -N relative to now." };
        var command = new Command("scale", "Run more or fewer instances of an app (a cluster's workers, or NAME-0.. instances).") { name, count };
        command.SetAction(async (parse, ct) =>
        {
            var app = parse.GetValue(name)!;
            var text = parse.GetValue(count)!;
            var relative = text.StartsWith('+') || text.StartsWith('-');
            if (!int.TryParse(relative ? text[1..] : text, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
                throw new SupException(SupError.BadArgument, $"'{text}' is not a number of instances; give N, +N or -N.");
            if (relative)
            {
                var now = (await DaemonCall.InvokeAsync(d => d.ListAsync(ct), ct)).Count(a => IsInstance(a.Name, app));
                n = text[0] == '+' ? now + n : now - n;
            }

            var result = await DaemonCall.InvokeAsync(d => d.ScaleAsync(app, n, ct), ct);
            Console.Write(AppTable.Render(result));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static bool IsInstance(string row, string app) =>
        row.Length > app.Length + 1 && row.StartsWith(app, StringComparison.Ordinal) && row[app.Length] == '-'
        && row.AsSpan(app.Length + 1).IndexOfAnyExceptInRange('0', '9') < 0;

    public static Command StartOrRestart() => FileVerb("startOrRestart", "PM2's startOrRestart: start the file's apps; those already running restart.", reload: false);

    public static Command StartOrReload() => FileVerb("startOrReload", "PM2's startOrReload: start the file's apps; those already running reload (a cluster worker by worker).", reload: true);

    private static Command FileVerb(string verb, string description, bool reload)
    {
        var file = new Argument<string>("file") { Description = "The ecosystem file." };
        var only = new Option<string>("--only") { Description = "Only these apps of the file (comma-separated)." };
        var env = new Option<string>("--env") { Description = "Select env_PROFILE blocks of the file." };
        var command = new Command(verb, description) { file, only, env };
        command.SetAction((parse, ct) =>
            Pm2FileVerbs.StartThenRestartAsync(parse.GetValue(file)!, parse.GetValue(env), parse.GetValue(only), reload, ct));
        return command;
    }
}
