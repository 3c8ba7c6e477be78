using System.Globalization;
using Supervisor.Core.Config;
using Supervisor.Core.Protocol;
using Supervisor.Core.Scheduling;
using Supervisor.Core.Supervision;

namespace Supervisor.Core.Daemon;

/// <summary>
/// Builds `sup describe`: the resolved config and where each value came from, paths, env
/// (secrets masked), state history, backoff, and for jobs the last and next runs.
/// </summary>
public static class AppDescriber
{
    private const int UpcomingRunCount = 5;
    private const int LastRunCount = 10;

    // Config entries written under another key, or decided by other keys.
    private static readonly Dictionary<string, string[]> WrittenAs = new(StringComparer.Ordinal)
    {
        ["kind"] = ["cron", "every", "on_file"],
        ["merge_logs"] = ["merge_logs", "combine_logs"],
        ["script"] = ["script", "exec"],
        ["interpreter"] = ["interpreter", "exec_interpreter"],
        ["out_file"] = ["out_file", "output", "out", "out_log"],
        ["error_file"] = ["error_file", "error", "err", "err_file", "err_log"],
        ["pid_file"] = ["pid_file", "pid"],
        ["log_file"] = ["log_file", "log"],
        ["log_date_format"] = ["log_date_format", "time"],
    };

    public static AppDetail Describe(IAppSupervisor app, SupervisorContext context, bool showSecrets = false)
    {
        var spec = app.Spec;
        var now = context.Time.GetUtcNow();
        var info = AppInfoMapper.ToInfo(app, now);
        var config = ConfigOf(spec, showSecrets);
        if (Logs.LogPaths.CombinedOf(context.SupHome, spec) is { } combined) config["log_file"] = combined;
        var policy = spec.Kind == AppKind.Service ? new RestartPolicy(spec) : null;
        var job = app as JobSupervisor;
        return new AppDetail
        {
            App = info,
            Config = config,
            ConfigSources = config.Keys.ToDictionary(k => k, k => SourceOf(spec, k), StringComparer.Ordinal),
            Command = string.Join(' ', new[] { spec.FileName }.Concat(Args(spec.Arguments, showSecrets)).Select(Quote)),
            Cwd = spec.Cwd,
            SourceFile = spec.SourceFile,
            OutLog = Logs.LogPaths.OutOf(context.SupHome, spec),
            ErrLog = Logs.LogPaths.ErrOf(context.SupHome, spec),
            PidFile = context.PidFileFor(spec),
            Env = spec.Env.ToDictionary(kv => kv.Key, kv => showSecrets ? kv.Value : SecretMask.EnvValue(kv.Key, kv.Value)),
            History = app.Snapshot().History
                .Select(h => new HistoryEntry(h.At.ToString("O"), h.From.ToWire(), h.To.ToWire(), h.Reason))
                .ToList(),
            BackoffMs = policy is not null && info.Status == "waiting" ? Milliseconds(policy.BackoffAfter(info.FastCrashes)) : null,
            NextBackoffMs = policy is not null && spec.Autorestart && info.FastCrashes + 1 < spec.MaxRestarts
                ? Milliseconds(policy.BackoffAfter(info.FastCrashes + 1)) : null,
            NextRuns = job?.UpcomingRuns(UpcomingRunCount).Select(t => t.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture)).ToList() ?? [],
            LastRuns = job?.History(LastRunCount) ?? [],
        };
    }

    /// <summary>Whether an env variable's value is hidden; the rule is <see cref="SecretMask"/>'s.</summary>
    public static bool IsSecret(string key) => SecretMask.IsSecretName(key);

    private static IReadOnlyList<string> Args(IReadOnlyList<string> args, bool showSecrets) =>
        showSecrets ? args : SecretMask.InArguments(args);

    private static string Text(string text, bool showSecrets) => showSecrets ? text : SecretMask.InText(text);

    /// <summary>"file" or "cli" when the user wrote the key (ad-hoc apps come from the command line), else "default".</summary>
    internal static string SourceOf(AppSpec spec, string key)
    {
        var written = WrittenAs.TryGetValue(key, out var keys) ? keys.Any(spec.ExplicitKeys.Contains) : spec.ExplicitKeys.Contains(key);
        return !written ? "default" : spec.SourceFile is null ? "cli" : "file";
    }

    private static long Milliseconds(TimeSpan t) => (long)t.TotalMilliseconds;

    private static Dictionary<string, string> ConfigOf(AppSpec spec, bool showSecrets)
    {
        var config = new Dictionary<string, string>
        {
            ["kind"] = spec.Kind == AppKind.Job ? "job" : "service",
            ["autostart"] = spec.Autostart ? "true" : "false",
            ["autorestart"] = spec.Autorestart ? "true" : "false",
            ["min_uptime"] = Duration.Format(spec.MinUptime),
            ["max_restarts"] = spec.MaxRestarts.ToString(CultureInfo.InvariantCulture),
            ["restart_delay"] = Duration.Format(spec.RestartDelay),
            ["exp_backoff_restart_delay"] = Duration.Format(spec.ExpBackoffRestartDelay),
            ["kill_timeout"] = Duration.Format(spec.KillTimeout),
            ["stop_signal"] = spec.StopSignal,
            ["stop_exit_codes"] = string.Join(",", spec.StopExitCodes),
            ["log_max_size"] = ByteSize.Format(spec.LogMaxSize),
            ["log_retain"] = spec.LogRetain.ToString(CultureInfo.InvariantCulture),
            ["log_compress"] = spec.LogCompress ? "true" : "false",
            ["log_rotate"] = spec.LogRotate.ToWire(),
            ["merge_logs"] = spec.MergeLogs ? "true" : "false",
        };
        if (spec.Script is not null) config["script"] = spec.Script;
        if (spec.Command is not null) config["command"] = Text(spec.Command, showSecrets);
        if (spec.Interpreter is not null) config["interpreter"] = spec.Interpreter;
        if (spec.InterpreterArgs.Count > 0) config["interpreter_args"] = string.Join(' ', Args(spec.InterpreterArgs, showSecrets).Select(Quote));
        if (spec.Args.Count > 0) config["args"] = string.Join(' ', Args(spec.Args, showSecrets).Select(Quote));
        if (spec.MaxMemoryRestart is long max) config["max_memory_restart"] = ByteSize.Format(max);
        if (spec.LogDateFormat is not null) config["log_date_format"] = spec.LogDateFormat;
        if (spec.Watch.Count > 0) config["watch"] = string.Join(", ", spec.Watch);
        if (spec.DetectExternal is { } external)
            config["detect_external"] = string.Join(", ", new[] { external.Pattern is { } p ? $"pattern {p}" : null, external.Port is int port ? $"port {port}" : null }.OfType<string>());
        if (spec.Watch.Count > 0 && spec.IgnoreWatch is { } ignored) config["ignore_watch"] = string.Join(", ", ignored);
        if (spec.Watch.Count > 0) config["watch_delay"] = Duration.Format(spec.WatchDelay);
        if (spec.CronRestart is not null) config["cron_restart"] = spec.CronRestart;
        if (spec.Job is { } job)
        {
            if (job.Cron is not null) config["cron"] = job.Cron;
            if (job.Every is { } every) config["every"] = Duration.Format(every);
            if (job.Jitter > TimeSpan.Zero) config["jitter"] = Duration.Format(job.Jitter);
            if (job.Timezone is not null) config["timezone"] = job.Timezone;
            if (job.ActiveHours is not null) config["active_hours"] = job.ActiveHours;
            if (job.OnFile is { } f) config["on_file"] = $"{f.Path} ({f.Pattern})";
            if (job.Steps.Count > 0) config["steps"] = string.Join(" && ", job.Steps.Select(step => Text(step, showSecrets)));
            if (job.Retry is { } retry)
                config["retry"] = $"{retry.Attempts} attempts, {Duration.Format(retry.Delay)} x{retry.Multiplier.ToString(CultureInfo.InvariantCulture)}";
            config["run_missed"] = job.RunMissed ? "true" : "false";
            config["concurrency"] = job.Concurrency.ToString(CultureInfo.InvariantCulture);
        }
        return config;
    }

    private static string Quote(string s) =>
        s.Length > 0 && s.AsSpan().IndexOfAny(" \t\"'$\\") < 0 ? s : "'" + s.Replace("'", "'\\''") + "'";
}
