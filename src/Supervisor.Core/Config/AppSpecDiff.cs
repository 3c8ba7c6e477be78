using System.Collections;

namespace Supervisor.Core.Config;

/// <summary>What changed between two specs of the same app, named as the ecosystem file names it.</summary>
public static class AppSpecDiff
{
    private static readonly JobSpec NoJob = new();

    // In ecosystem key order, so a plan reads like the file.
    private static readonly (string Key, Func<AppSpec, object?> Value)[] Keys =
    [
        ("name", a => a.Name),
        ("script", a => a.Script),
        ("command", a => a.Command),
        ("interpreter", a => a.Interpreter),
        ("interpreter_args", a => a.InterpreterArgs),
        ("args", a => a.Args),
        ("cwd", a => a.Cwd),
        ("env", _ => null), // compared variable by variable, see below
        ("autostart", a => a.Autostart),
        ("autorestart", a => a.Autorestart),
        ("min_uptime", a => a.MinUptime),
        ("max_restarts", a => a.MaxRestarts),
        ("restart_delay", a => a.RestartDelay),
        ("exp_backoff_restart_delay", a => a.ExpBackoffRestartDelay),
        ("stop_exit_codes", a => a.StopExitCodes),
        ("kill_timeout", a => a.KillTimeout),
        ("stop_signal", a => a.StopSignal),
        ("max_memory_restart", a => a.MaxMemoryRestart),
        ("out_file", a => a.OutFile),
        ("error_file", a => a.ErrorFile),
        ("merge_logs", a => a.MergeLogs),
        ("log_date_format", a => a.LogDateFormat),
        ("log_max_size", a => a.LogMaxSize),
        ("log_retain", a => a.LogRetain),
        ("log_compress", a => a.LogCompress),
        ("log_rotate", a => a.LogRotate),
        ("pid_file", a => a.PidFile),
        ("watch", a => a.Watch),
        ("ignore_watch", a => a.IgnoreWatch),
        ("watch_delay", a => a.WatchDelay),
        ("cron_restart", a => a.CronRestart),
        ("log_file", a => a.CombinedLog ? a.LogFile ?? "true" : null),
        ("instances", a => a.ClusterInstances),
        ("cron", a => Job(a).Cron),
        ("timezone", a => Job(a).Timezone),
        ("every", a => Job(a).Every),
        ("jitter", a => Job(a).Jitter),
        ("active_hours", a => Job(a).ActiveHours),
        ("retry", a => Job(a).Retry),
        ("run_missed", a => Job(a).RunMissed),
        ("on_file", a => Job(a).OnFile),
        ("concurrency", a => Job(a).Concurrency),
        ("steps", a => Job(a).Steps),
        ("enabled", a => Job(a).Enabled),
        ("depends_on", a => a.DependsOn),
        ("notify", a => a.Notify),
        ("restart_after_errored", a => a.RestartAfterErrored),
        ("ready", a => a.Ready),
        ("ready_timeout", a => a.ReadyTimeout),
        ("health", a => a.Health),
        ("restart_with", a => a.RestartWith),
        ("detect_external", a => a.DetectExternal),
    ];

    private static readonly HashSet<string> LaunchKeys = ["script", "command", "interpreter", "interpreter_args", "args", "steps"];

    /// <summary>
    /// Changed keys (<c>args</c>, <c>cron</c>) and environment variables (<c>env.LABEL</c>, added,
    /// removed or changed; never their values). Empty when nothing changed. The source file is ignored.
    /// </summary>
    public static IReadOnlyList<string> Changes(AppSpec before, AppSpec after)
    {
        var changes = new List<string>();
        foreach (var (key, value) in Keys)
        {
            if (key == "env")
            {
                changes.AddRange(EnvChanges(before.Env, after.Env));
            }
            else if (!Same(value(before), value(after)))
            {
                changes.Add(key);
            }
        }

        // The same words can resolve to another program (PATH changed, a script was replaced by
        // a program of that name); that still changes what runs.
        var launched = before.FileName == after.FileName && before.Arguments.SequenceEqual(after.Arguments);
        if (!launched && !changes.Any(LaunchKeys.Contains))
        {
            changes.Add(after.Command is not null ? "command" : after.Script is not null ? "script" : "steps");
        }

        return changes;
    }

    private static JobSpec Job(AppSpec app) => app.Job ?? NoJob;

    private static IEnumerable<string> EnvChanges(IReadOnlyDictionary<string, string> before, IReadOnlyDictionary<string, string> after) =>
        before.Keys.Union(after.Keys)
            .Where(name => before.GetValueOrDefault(name) != after.GetValueOrDefault(name))
            .Order(StringComparer.Ordinal)
            .Select(name => $"env.{name}");

    private static bool Same(object? a, object? b) =>
        a is IEnumerable first and not string && b is IEnumerable second and not string
            ? first.Cast<object?>().SequenceEqual(second.Cast<object?>())
            : Equals(a, b);
}
