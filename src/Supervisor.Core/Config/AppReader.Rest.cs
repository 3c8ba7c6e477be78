using YamlDotNet.RepresentationModel;

namespace Supervisor.Core.Config;

internal sealed partial class AppReader
{
    /// <summary>Reads the restart, stop, log and watch keys, and assembles the spec.</summary>
    /// <returns>Null when there is nothing to run (the problem is already reported).</returns>
    private AppSpec? ReadRest(string name, string cwd, Dictionary<string, string> env, JobSpec? job, LaunchParts? launch)
    {
        var autostart = Get("autostart", _values.Bool);
        var autorestart = Get("autorestart", _values.Bool);
        var minUptime = Get("min_uptime", Duration);
        var maxRestarts = Get("max_restarts", (k, n) => _values.Int(k, n, min: 0));
        var restartDelay = Get("restart_delay", Duration);
        var backoff = Get("exp_backoff_restart_delay", Duration);
        var stopExitCodes = GetRef("stop_exit_codes", ReadExitCodes);
        var killTimeout = Get("kill_timeout", Duration);
        var stopSignal = GetRef("stop_signal", ReadSignal);
        var maxMemory = Get("max_memory_restart", _values.Size);
        var outFile = GetRef(Pm2Key("out_file"), (k, n) => ReadPath(k, n, cwd));
        var errorFile = GetRef(Pm2Key("error_file"), (k, n) => ReadPath(k, n, cwd));
        var pidFile = GetRef(Pm2Key("pid_file"), (k, n) => ReadPath(k, n, cwd));
        var mergeLogs = ReadMergeLogs();
        var logDateFormat = GetRef("log_date_format", ReadLogDateFormat);
        var time = Get("time", _values.Bool);
        var logMaxSize = Get("log_max_size", _values.Size);
        var logRetain = Get("log_retain", (k, n) => _values.Int(k, n, min: 0));
        var logCompress = Get("log_compress", _values.Bool);
        var logRotate = Get("log_rotate", ReadLogRotate);
        var watch = GetRef("watch", (k, n) => ReadWatch(k, n, cwd));
        var notify = GetRef("notify", (k, n) => NotifyReader.Read(k, n, _values));
        var restartAfterErrored = Get("restart_after_errored", (k, n) => _values.Duration(k, n, positive: true));
        var image = GetRef("image", _values.String);

        if (launch is null)
        {
            return null;
        }

        return new AppSpec
        {
            Name = name,
            FileName = launch.Launch.FileName,
            Arguments = launch.Launch.Arguments,
            Script = launch.Script,
            Command = launch.Command,
            Interpreter = launch.Interpreter,
            InterpreterArgs = launch.InterpreterArgs,
            Args = launch.Args,
            Cwd = cwd,
            Env = env,
            Autostart = autostart ?? true,
            Autorestart = autorestart ?? AppDefaults.Autorestart,
            MinUptime = minUptime ?? AppDefaults.MinUptime,
            MaxRestarts = maxRestarts ?? AppDefaults.MaxRestarts,
            RestartDelay = restartDelay ?? AppDefaults.RestartDelay,
            ExpBackoffRestartDelay = backoff ?? AppDefaults.ExpBackoffRestartDelay,
            StopExitCodes = stopExitCodes ?? [],
            KillTimeout = killTimeout ?? AppDefaults.KillTimeout,
            StopSignal = stopSignal ?? AppDefaults.StopSignal,
            MaxMemoryRestart = maxMemory,
            OutFile = outFile,
            ErrorFile = errorFile,
            MergeLogs = mergeLogs ?? false,
            LogDateFormat = logDateFormat ?? (time == true ? LogDateFormat.Default : null),
            LogMaxSize = logMaxSize ?? AppDefaults.LogMaxSize,
            LogRetain = logRetain ?? AppDefaults.LogRetain,
            LogCompress = logCompress ?? false,
            LogRotate = logRotate ?? LogRotation.None,
            PidFile = pidFile,
            Image = image,
            Watch = watch ?? [],
            Job = job,
            Notify = notify ?? [],
            RestartAfterErrored = restartAfterErrored,
            SourceFile = _options.LoadedFrom ?? _sourceFile,
            ExplicitKeys = _entries.Keys.Where(Has).ToHashSet(StringComparer.Ordinal),
        };
    }

    private TimeSpan? Duration(string key, YamlNode node) => _values.Duration(key, node);

    private List<int>? ReadExitCodes(string key, YamlNode node)
    {
        var codes = NodeValues.Items(node).Select(item => _values.Int(key, item)).ToList();
        return codes.Contains(null) ? null : [.. codes.Select(c => c!.Value)];
    }

    private string? ReadSignal(string key, YamlNode node)
    {
        var text = _values.Text(key, node);
        if (text is null)
        {
            return null;
        }

        if (SignalNames.TryNormalize(text, out var canonical))
        {
            return canonical;
        }

        Problems.Error(node, $"{key}: '{text}' is not a signal sup knows (use a name such as SIGTERM, SIGINT, SIGHUP or SIGUSR1).");
        return null;
    }

    private string? ReadPath(string key, YamlNode node, string cwd)
    {
        var text = _values.String(key, node);
        return text is null ? null : _baseLocator.Resolve(text, cwd);
    }

    private string? ReadLogDateFormat(string key, YamlNode node)
    {
        // PM2: false is no prefix (as if the key were absent), not a format to print.
        if (node is YamlScalarNode { Value: { } off } && off.Trim().Equals("false", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var format = _values.String(key, node);
        if (format is null)
        {
            return null;
        }

        if (LogDateFormat.LooksLikeMoment(format))
        {
            var converted = LogDateFormat.FromMoment(format);
            Problems.Warning(node, $"{key}: '{format}' is a moment.js (PM2) format; using the .NET format '{converted}' instead.");
            format = converted;
        }

        if (!LogDateFormat.IsValid(format))
        {
            Problems.Error(node, $"{key}: '{format}' is not a valid .NET date format (for example yyyy-MM-dd HH:mm:ss.fff zzz).");
            return null;
        }

        return format;
    }

    /// <summary>false, true (the app's folder), one path, or a list of paths relative to cwd.</summary>
    private List<string>? ReadWatch(string key, YamlNode node, string cwd)
    {
        if (node is YamlScalarNode { Value: { } text } && bool.TryParse(text.Trim(), out var on))
        {
            return on ? [cwd] : [];
        }

        var paths = new List<string>();
        foreach (var item in NodeValues.Items(node))
        {
            var written = _values.String(key, item);
            if (written is null)
            {
                return null;
            }

            var path = _baseLocator.Resolve(written, cwd);
            if (!Path.Exists(path))
            {
                Problems.Warning(item, $"{key}: '{written}' does not exist yet (looked for {path}).");
            }

            paths.Add(path);
        }

        return paths;
    }
}
