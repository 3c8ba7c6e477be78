using Supervisor.Core.Config;
using Supervisor.Core.Protocol;
using Supervisor.Core.Supervision;

namespace Supervisor.Core.Daemon;

/// <summary>Builds `sup describe`: the resolved config, paths, env (secrets masked) and history.</summary>
public static class AppDescriber
{
    private static readonly string[] SecretMarkers = ["TOKEN", "SECRET", "PASSWORD", "PASSWD", "KEY", "CREDENTIAL"];

    public static AppDetail Describe(IAppSupervisor app, SupervisorContext context, bool showSecrets = false)
    {
        var spec = app.Spec;
        var now = context.Time.GetUtcNow();
        return new AppDetail
        {
            App = AppInfoMapper.ToInfo(app, now),
            Config = ConfigOf(spec),
            Command = string.Join(' ', new[] { spec.FileName }.Concat(spec.Arguments).Select(Quote)),
            Cwd = spec.Cwd,
            SourceFile = spec.SourceFile,
            OutLog = spec.OutFile ?? Logs.LogPaths.Out(context.SupHome, spec.Name),
            ErrLog = spec.MergeLogs ? spec.OutFile ?? Logs.LogPaths.Out(context.SupHome, spec.Name)
                : spec.ErrorFile ?? Logs.LogPaths.Err(context.SupHome, spec.Name),
            PidFile = context.PidFileFor(spec),
            Env = spec.Env.ToDictionary(kv => kv.Key, kv => showSecrets || !IsSecret(kv.Key) ? kv.Value : "******"),
            History = app.Snapshot().History
                .Select(h => new HistoryEntry(h.At.ToString("O"), h.From.ToWire(), h.To.ToWire(), h.Reason))
                .ToList(),
        };
    }

    public static bool IsSecret(string key)
    {
        foreach (var marker in SecretMarkers)
            if (key.Contains(marker, StringComparison.OrdinalIgnoreCase)) return true;
        return false;
    }

    private static Dictionary<string, string> ConfigOf(AppSpec spec)
    {
        var config = new Dictionary<string, string>
        {
            ["kind"] = spec.Kind == AppKind.Job ? "job" : "service",
            ["autorestart"] = spec.Autorestart ? "true" : "false",
            ["min_uptime"] = Duration.Format(spec.MinUptime),
            ["max_restarts"] = spec.MaxRestarts.ToString(),
            ["restart_delay"] = Duration.Format(spec.RestartDelay),
            ["exp_backoff_restart_delay"] = Duration.Format(spec.ExpBackoffRestartDelay),
            ["kill_timeout"] = Duration.Format(spec.KillTimeout),
            ["stop_signal"] = spec.StopSignal,
            ["stop_exit_codes"] = string.Join(",", spec.StopExitCodes),
            ["log_max_size"] = ByteSize.Format(spec.LogMaxSize),
            ["log_retain"] = spec.LogRetain.ToString(),
            ["log_compress"] = spec.LogCompress ? "true" : "false",
            ["merge_logs"] = spec.MergeLogs ? "true" : "false",
        };
        if (spec.Script is not null) config["script"] = spec.Script;
        if (spec.Command is not null) config["command"] = spec.Command;
        if (spec.Interpreter is not null) config["interpreter"] = spec.Interpreter;
        if (spec.MaxMemoryRestart is long max) config["max_memory_restart"] = ByteSize.Format(max);
        if (spec.LogDateFormat is not null) config["log_date_format"] = spec.LogDateFormat;
        if (spec.Job is { } job)
        {
            if (job.Cron is not null) config["cron"] = job.Cron;
            if (job.Every is { } every) config["every"] = Duration.Format(every);
            if (job.Jitter > TimeSpan.Zero) config["jitter"] = Duration.Format(job.Jitter);
            if (job.Timezone is not null) config["timezone"] = job.Timezone;
            if (job.ActiveHours is not null) config["active_hours"] = job.ActiveHours;
            if (job.OnFile is { } f) config["on_file"] = $"{f.Path} ({f.Pattern})";
            if (job.Steps.Count > 0) config["steps"] = string.Join(" && ", job.Steps);
        }
        return config;
    }

    private static string Quote(string s) =>
        s.Length > 0 && s.AsSpan().IndexOfAny(" \t\"'$\\") < 0 ? s : "'" + s.Replace("'", "'\\''") + "'";
}
