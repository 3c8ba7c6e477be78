namespace Supervisor.Core.Config;

/// <summary>
/// Every key the loader knows, in one table. docs/ecosystem.schema.json must list the same
/// keys; a test walks both.
/// </summary>
internal static class EcosystemKeys
{
    public static readonly IReadOnlyCollection<string> TopLevel = ["apps", "watch_config", "notify", "include", "plugin", "commands"];

    /// <summary>Top-level keys starting with this are the user's own (a place for YAML anchors).</summary>
    public const string ExtensionPrefix = "x-";

    public const string EnvProfilePrefix = "env_";

    public static readonly IReadOnlyCollection<string> App =
    [
        "name", "script", "command", "interpreter", "interpreter_args", "node_args", "args", "cwd", "env",
        "autostart", "autorestart", "min_uptime", "max_restarts", "restart_delay", "exp_backoff_restart_delay",
        "stop_exit_codes", "kill_timeout", "stop_signal", "max_memory_restart", "instances",
        "out_file", "error_file", "merge_logs", "combine_logs", "log_date_format", "time",
        "log_max_size", "log_retain", "log_compress", "pid_file", "image", "watch",
        "cron", "timezone", "every", "jitter", "active_hours", "retry", "run_missed", "on_file",
        "concurrency", "steps", "enabled",
        "depends_on",
        "notify", "restart_after_errored",
        "ready", "ready_timeout", "health", "restart_with",
        "log_rotate",
        "run", "group", "detect_external",
        // PM2's keys, read as PM2 means them (AppReader.Pm2.cs), and PM2's other names of keys (Pm2Keys.Aliases).
        "env_file", "port", "log_file", "ignore_watch", "watch_delay", "cron_restart", "instance_var", "increment_var",
        "exec_interpreter",
        "exec", "output", "out", "out_log", "error", "err", "err_file", "err_log", "log", "pid",
        "exec_mode", "cluster_mode",
    ];

    /// <summary>Any of these makes an app a job.</summary>
    public static readonly IReadOnlyCollection<string> JobTriggers = ["cron", "every", "on_file"];

    /// <summary>Meaningful only for jobs: an error on a service.</summary>
    public static readonly IReadOnlyCollection<string> JobOnly =
        ["timezone", "jitter", "active_hours", "retry", "run_missed", "concurrency", "steps", "enabled", "group"];

    /// <summary>Meaningful only for services: a warning on a job, which runs once per trigger.</summary>
    public static readonly IReadOnlyCollection<string> ServiceOnly =
        ["min_uptime", "max_restarts", "restart_delay", "exp_backoff_restart_delay", "stop_exit_codes", "watch", "restart_after_errored",
         "ready", "ready_timeout", "health", "restart_with", "detect_external",
         "ignore_watch", "watch_delay", "cron_restart"];

    /// <summary>The keys of `ready:` (exactly one) and of `health:` (one kind plus its timings).</summary>
    public static readonly IReadOnlyCollection<string> Ready = ["log", "tcp", "http", "exec", "notify"];
    public static readonly IReadOnlyCollection<string> Health = ["tcp", "http", "exec", "interval", "timeout", "retries", "start_period"];

    public static readonly IReadOnlyCollection<string> Retry = ["attempts", "delay", "multiplier"];
    public static readonly IReadOnlyCollection<string> OnFile = ["path", "pattern", "move_to"];
    public static readonly IReadOnlyCollection<string> DetectExternal = ["pattern", "port"];

    /// <summary>The keys of one `notify:` target; exactly one of <see cref="NotifyTargets"/>.</summary>
    public static readonly IReadOnlyCollection<string> Notify = ["exec", "webhook", "desktop", "on", "timeout", "retries", "format"];
    public static readonly IReadOnlyCollection<string> NotifyTargets = ["exec", "webhook", "desktop"];

    /// <summary>PM2 top-level keys with no meaning here: a warning, never an error.</summary>
    public static readonly IReadOnlyDictionary<string, string> IgnoredTopLevel = new Dictionary<string, string>
    {
        ["deploy"] = "deploy is PM2's deployment tool; sup ignores it.",
    };

    /// <summary>
    /// PM2 app keys with no meaning here, with why. They load with a warning, so a PM2 file runs
    /// unchanged; a value listed in <see cref="Pm2Key.Harmless"/> means what sup does anyway and
    /// gets no warning.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, Pm2Key> IgnoredPm2 = new Dictionary<string, Pm2Key>
    {
        ["source_map_support"] = new("source maps are a Node matter; pass --enable-source-maps in interpreter_args."),
        ["wait_ready"] = new("sup does not read Node's process.send('ready'); use ready: (log, tcp, http, exec or notify) instead."),
        ["listen_timeout"] = new("sup has no wait_ready; use ready: with ready_timeout instead."),
        ["shutdown_with_message"] = new("sup stops apps with stop_signal."),
        ["vizion"] = new("sup does not track version control metadata."),
        ["post_update"] = new("sup has no update hooks."),
        ["force"] = new("sup never starts the same app twice."),
        ["namespace"] = new("sup has no namespaces; group apps by ecosystem file and use --only."),
        ["treekill"] = new("sup always stops the whole process tree.", "true"),
        ["filter_env"] = new("apps get the daemon's environment with env merged over it."),
        ["append_env_to_name"] = new("app names are used as written."),
        ["watch_options"] = new("sup's watcher has no options."),
        ["log_type"] = new("log lines are written as the app prints them."),
        ["disable_logs"] = new("to discard output set out_file and error_file to /dev/null."),
        ["kill_retry_time"] = new("sup sends stop_signal once, then SIGKILL after kill_timeout."),
        ["pmx"] = new("sup has no PM2 metrics agent."),
        ["automation"] = new("sup has no PM2 metrics agent."),
        ["windowsHide"] = new("it only hides a console window on Windows.", "true"),
        ["disable_source_map_support"] = new("source maps are a Node matter; pass --enable-source-maps in interpreter_args."),
        ["trace"] = new("sup has no PM2 metrics agent."),
        ["disable_trace"] = new("sup has no PM2 metrics agent.", "true"),
        ["v8"] = new("sup has no PM2 metrics agent."),
        ["event_loop_inspector"] = new("sup has no PM2 metrics agent."),
        ["deep_monitoring"] = new("sup has no PM2 metrics agent."),
        ["io"] = new("sup has no PM2 metrics agent."),
        ["name_prefix"] = new("app names are used as written."),
        ["username"] = new("apps run as the daemon's user."),
        ["uid"] = new("apps run as the daemon's user."),
        ["gid"] = new("apps run as the daemon's user."),
    };

    /// <summary>env_file is a dotenv file to read, not a profile named "file".</summary>
    public static bool IsEnvProfile(string key) =>
        key.Length > EnvProfilePrefix.Length && key.StartsWith(EnvProfilePrefix, StringComparison.Ordinal) && key != "env_file";
}

/// <summary>Why a PM2 key is ignored, and the values for which ignoring it changes nothing.</summary>
internal sealed record Pm2Key(string Reason, params string[] Harmless);
