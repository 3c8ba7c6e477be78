using System.Globalization;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace Supervisor.Core.Config;

/// <summary>
/// Writes specs back as an ecosystem file (what `sup save` puts in dump.yaml): absolute paths,
/// every value that differs from its default, env included, so loading it gives the same specs.
/// </summary>
public static class EcosystemWriter
{
    private const string Header = "# Written by sup. Loading this file recreates the apps as they were.\n";

    /// <param name="jobEnabled">Runtime state of job schedules (`sup disable`); false is written as enabled: false.</param>
    public static string ToYaml(IReadOnlyList<AppSpec> apps, IReadOnlyDictionary<string, bool>? jobEnabled = null)
    {
        var list = new YamlSequenceNode();
        foreach (var app in apps)
        {
            list.Add(ToNode(app, jobEnabled?.GetValueOrDefault(app.Name, true) ?? true));
        }

        if (apps.Count == 0)
        {
            list.Style = SequenceStyle.Flow;
        }

        var writer = new StringWriter(CultureInfo.InvariantCulture);
        new YamlStream(new YamlDocument(new YamlMappingNode { { "apps", list } })).Save(writer, assignAnchors: false);
        // The emitter ends the document with "...", which a hand-edited file does not need.
        return Header + writer.ToString().TrimEnd().TrimEnd('.').TrimEnd() + "\n";
    }

    private static YamlMappingNode ToNode(AppSpec app, bool enabled)
    {
        var node = new YamlMappingNode { { "name", Text(app.Name) } };
        WriteLaunch(node, app);
        node.Add("cwd", Text(app.Cwd));
        if (app.Env.Count > 0)
        {
            var env = new YamlMappingNode();
            foreach (var (key, value) in app.Env)
            {
                env.Add(Text(key), Text(value));
            }

            node.Add("env", env);
        }

        Add(node, "autostart", app.Autostart, true);
        Add(node, "autorestart", app.Autorestart, AppDefaults.Autorestart);
        Add(node, "min_uptime", app.MinUptime, AppDefaults.MinUptime);
        Add(node, "max_restarts", app.MaxRestarts, AppDefaults.MaxRestarts);
        Add(node, "restart_delay", app.RestartDelay, AppDefaults.RestartDelay);
        Add(node, "exp_backoff_restart_delay", app.ExpBackoffRestartDelay, AppDefaults.ExpBackoffRestartDelay);
        AddList(node, "stop_exit_codes", app.StopExitCodes.Select(c => new YamlScalarNode(c.ToString(CultureInfo.InvariantCulture))));
        Add(node, "kill_timeout", app.KillTimeout, AppDefaults.KillTimeout);
        Add(node, "stop_signal", app.StopSignal, AppDefaults.StopSignal);
        if (app.MaxMemoryRestart is { } memory)
        {
            node.Add("max_memory_restart", ByteSize.Format(memory));
        }

        Add(node, "out_file", app.OutFile, null);
        Add(node, "error_file", app.ErrorFile, null);
        Add(node, "merge_logs", app.MergeLogs, false);
        Add(node, "log_date_format", app.LogDateFormat, null);
        if (app.LogMaxSize != AppDefaults.LogMaxSize)
        {
            node.Add("log_max_size", ByteSize.Format(app.LogMaxSize));
        }

        Add(node, "log_retain", app.LogRetain, AppDefaults.LogRetain);
        Add(node, "log_compress", app.LogCompress, false);
        Add(node, "log_rotate", app.LogRotate == LogRotation.None ? null : app.LogRotate.ToWire(), null);
        Add(node, "pid_file", app.PidFile, null);
        Add(node, "image", app.Image, null);
        AddList(node, "watch", app.Watch);
        if (app.DetectExternal is { } external)
        {
            var detect = new YamlMappingNode();
            if (external.Pattern is { } pattern) detect.Add("pattern", Text(pattern));
            if (external.Port is int port) detect.Add("port", port.ToString(CultureInfo.InvariantCulture));
            node.Add("detect_external", detect);
        }

        if (app.IgnoreWatch is { } ignored)
        {
            node.Add("ignore_watch", new YamlSequenceNode(ignored.Select(Text)) { Style = SequenceStyle.Flow });
        }

        Add(node, "watch_delay", app.WatchDelay, AppDefaults.WatchDelay);
        Add(node, "cron_restart", app.CronRestart, null);
        if (app.CombinedLog)
        {
            node.Add("log_file", app.LogFile is { } logFile ? Text(logFile) : new YamlScalarNode("true"));
        }
        if (app.ClusterInstances is { } workers)
        {
            node.Add("exec_mode", "cluster");
            node.Add("instances", workers.ToString(CultureInfo.InvariantCulture));
        }

        if (app.Job is { } job)
        {
            WriteJob(node, job, enabled);
        }

        return node;
    }

    private static void WriteLaunch(YamlMappingNode node, AppSpec app)
    {
        if (app.Script is not null)
        {
            node.Add("script", Text(app.Script));
            // Say "none" when the extension would pick an interpreter the app does not use.
            var interpreter = app.Interpreter ?? (Interpreters.ForScript(app.Script) is null ? null : Interpreters.None);
            Add(node, "interpreter", interpreter, null);
            AddList(node, "interpreter_args", app.InterpreterArgs);
        }
        else if (app.Command is not null)
        {
            node.Add("command", Text(app.Command));
        }
        else if (app.Job is not { Steps.Count: > 0 })
        {
            // Built by hand, not from a file: run what it runs.
            node.Add("script", Text(app.FileName));
            AddList(node, "args", app.Arguments);
            return;
        }

        AddList(node, "args", app.Args);
    }

    private static void WriteJob(YamlMappingNode node, JobSpec job, bool enabled)
    {
        Add(node, "cron", job.Cron, null);
        Add(node, "timezone", job.Timezone, null);
        if (job.Every is { } every)
        {
            node.Add("every", Duration.Format(every));
        }

        Add(node, "jitter", job.Jitter, TimeSpan.Zero);
        Add(node, "active_hours", job.ActiveHours, null);
        if (job.Retry is { } retry)
        {
            node.Add("retry", new YamlMappingNode
            {
                { "attempts", retry.Attempts.ToString(CultureInfo.InvariantCulture) },
                { "delay", Duration.Format(retry.Delay) },
                { "multiplier", retry.Multiplier.ToString("R", CultureInfo.InvariantCulture) },
            });
        }

        Add(node, "run_missed", job.RunMissed, false);
        if (job.OnFile is { } onFile)
        {
            var spec = new YamlMappingNode { { "path", Text(onFile.Path) }, { "pattern", Text(onFile.Pattern) } };
            if (onFile.MoveTo is not null)
            {
                spec.Add("move_to", Text(onFile.MoveTo));
            }

            node.Add("on_file", spec);
        }

        Add(node, "concurrency", job.Concurrency, 1);
        if (job.Steps.Count > 0)
        {
            var steps = new YamlSequenceNode();
            foreach (var step in job.Steps)
            {
                steps.Add(Text(step));
            }

            node.Add("steps", steps);
        }

        Add(node, "enabled", job.Enabled && enabled, true);
    }

    private static void Add<T>(YamlMappingNode node, string key, T value, T defaultValue)
    {
        if (value is null || EqualityComparer<T>.Default.Equals(value, defaultValue))
        {
            return;
        }

        node.Add(key, value switch
        {
            bool b => new YamlScalarNode(b ? "true" : "false"),
            int i => new YamlScalarNode(i.ToString(CultureInfo.InvariantCulture)),
            TimeSpan t => new YamlScalarNode(Duration.Format(t)),
            _ => Text(value.ToString()!),
        });
    }

    private static void AddList(YamlMappingNode node, string key, IEnumerable<string> values) =>
        AddList(node, key, values.Select(Text));

    private static void AddList(YamlMappingNode node, string key, IEnumerable<YamlScalarNode> values)
    {
        var list = new YamlSequenceNode { Style = SequenceStyle.Flow };
        foreach (var value in values)
        {
            list.Add(value);
        }

        if (list.Children.Count > 0)
        {
            node.Add(key, list);
        }
    }

    /// <summary>
    /// A string every YAML reader reads back as that string: quoted when plain it would read as
    /// no value, a boolean or a number (the loader itself would accept those, other tools would not).
    /// </summary>
    private static YamlScalarNode Text(string value)
    {
        var scalar = new YamlScalarNode(value);
        var ambiguous = value is "~" or "null" or "Null" or "NULL"
            || bool.TryParse(value, out _)
            || double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _)
            || value.Any(char.IsControl);
        if (ambiguous)
        {
            scalar.Style = YamlDotNet.Core.ScalarStyle.DoubleQuoted;
        }

        return scalar;
    }
}
