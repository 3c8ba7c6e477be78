using System.CommandLine;
using System.CommandLine.Parsing;
using System.Text;
using System.Text.Json;

namespace Supervisor.Cli.Commands;

/// <summary>
/// PM2's flags of `pm2 start SCRIPT`, each the ecosystem key it stands for. The app they
/// describe is sent to the daemon as one app of an ecosystem file (a JSON object), so the flags
/// are read, checked and defaulted by the same reader as a file: `-i 2 --watch` is
/// `instances: 2, watch: true`.
/// </summary>
internal sealed class StartFlags
{
    private readonly List<(Option Option, string Key)> _values = [];
    private readonly List<(Option<bool> Option, string Key, string Value)> _switches = [];
    private readonly Option<string?> _log = new("--log", "-l")
    {
        Description = "PM2: a combined log of both streams (log_file); alone: $SUP_HOME/logs/NAME.log.",
        Arity = ArgumentArity.ZeroOrOne,
    };

    public StartFlags()
    {
        Value("--instances", "instances", "PM2: number of copies (instances); 0 or max = one per CPU, -1 = all but one.", "-i");
        Switch("--watch", "watch", "true", "PM2: restart on changes under the app's folder (watch).");
        Value("--ignore-watch", "ignore_watch", "PM2: paths or globs whose changes restart nothing (ignore_watch).");
        Value("--watch-delay", "watch_delay", "PM2: quiet time before a watch restart (watch_delay).");
        Switch("--time", "time", "true", "PM2: prefix log lines with the time (time).");
        Value("--cron-restart", "cron_restart", "PM2: restart on this cron schedule (cron_restart).", "-c", "--cron");
        Value("--interpreter", "interpreter", "PM2: what runs the script (interpreter).");
        Value("--interpreter-args", "interpreter_args", "PM2: arguments to the interpreter (interpreter_args).", "--node-args");
        Value("--max-memory-restart", "max_memory_restart", "PM2: restart above this memory (max_memory_restart).");
        Value("--restart-delay", "restart_delay", "PM2: delay before a restart (restart_delay).");
        Value("--max-restarts", "max_restarts", "PM2: fast crashes before giving up (max_restarts).");
        Switch("--no-autorestart", "autorestart", "false", "PM2: do not restart the app when it exits (autorestart: false).");
        Value("--output", "out_file", "PM2: file for stdout (out_file).", "-o");
        Value("--error", "error_file", "PM2: file for stderr (error_file).", "-e");
        Value("--log-date-format", "log_date_format", "PM2: prefix log lines with the time in this format (log_date_format).");
        Switch("--merge-logs", "merge_logs", "true", "PM2: instances share their log files (merge_logs).");
    }

    /// <summary>`--update-env`: accepted as PM2 users type it; every sup start applies the settings given.</summary>
    public Option<bool> UpdateEnv { get; } = new("--update-env") { Description = "PM2: accepted; sup applies the given settings on every start (a changed env restarts the app)." };

    public IEnumerable<Option> All =>
        _values.Select(v => v.Option).Concat(_switches.Select(s => (Option)s.Option)).Append(_log).Append(UpdateEnv);

    private void Value(string name, string key, string description, params string[] aliases) =>
        _values.Add((new Option<string>(name, aliases) { Description = description }, key));

    private void Switch(string name, string key, string value, string description) =>
        _switches.Add((new Option<bool>(name) { Description = description }, key, value));

    public bool AnyGiven(ParseResult parse) => All.Where(o => o != UpdateEnv).Any(o => parse.GetResult(o) is { Implicit: false });

    /// <summary>A script that is a command line (`sup start "npm run start"`), run as PM2 runs it: through the shell.</summary>
    public static bool IsCommandLine(string script) =>
        script.Trim().Contains(' ', StringComparison.Ordinal) && !File.Exists(Path.GetFullPath(script));

    /// <summary>The app as one app of an ecosystem file.</summary>
    public string ToAppJson(ParseResult parse, string script, string? name, IReadOnlyList<string> args, string cwd)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            if (name is not null) json.WriteString("name", name);
            json.WriteString("script", script);
            json.WriteString("cwd", cwd);
            if (args.Count > 0)
            {
                json.WriteStartArray("args");
                foreach (var arg in args) json.WriteStringValue(arg);
                json.WriteEndArray();
            }

            foreach (var (option, key) in _values)
            {
                if (parse.GetResult(option) is { Implicit: false } && parse.GetValue((Option<string>)option) is { } value) json.WriteString(key, value);
            }

            foreach (var (option, key, value) in _switches)
            {
                if (parse.GetValue(option)) json.WriteString(key, value);
            }

            if (parse.GetResult(_log) is { Implicit: false })
            {
                json.WriteString("log_file", parse.GetValue(_log) is { Length: > 0 } path ? path : "true");
            }

            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>
    /// An option-like word before `--` that no option took: a mistyped or unknown flag, which
    /// must not silently become an argument of the app (`sup start app.js --nmae web`).
    /// </summary>
    public static string? UnknownFlag(ParseResult parse, Argument<string[]> args)
    {
        // Every word after `--` is the app's, and the last of its arguments.
        var doubleDash = parse.Tokens.ToList().FindIndex(t => t.Type == TokenType.DoubleDash);
        var afterDoubleDash = doubleDash < 0 ? 0 : parse.Tokens.Count - doubleDash - 1;
        var appArgs = parse.GetResult(args)?.Tokens ?? [];
        var unknown = appArgs.Take(Math.Max(0, appArgs.Count - afterDoubleDash)).FirstOrDefault(t => t.Value.Length > 1 && t.Value[0] == '-');
        return unknown is null
            ? null
            : $"Unrecognized option '{unknown.Value}' for sup start; arguments for the app go after --: sup start SCRIPT -- {unknown.Value}. See `sup start --help`.";
    }
}
