using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace Supervisor.Core.Config;

/// <summary>How the instances of one app tell themselves apart (PM2's instance_var and increment_var).</summary>
internal sealed record InstanceVars(string InstanceVar, bool InstanceVarGiven, string? IncrementVar, long IncrementBase);

internal sealed partial class AppReader
{
    private readonly HashSet<string> _aliasesReported = new(StringComparer.Ordinal);

    /// <summary>
    /// Which of a key's names (<see cref="Pm2Keys.Aliases"/>) the file uses; the canonical name when
    /// none. Two names of one key is an error at the second.
    /// </summary>
    private string Pm2Key(string canonical)
    {
        if (!Pm2Keys.Aliases.TryGetValue(canonical, out var aliases))
        {
            return canonical;
        }

        var given = aliases.Prepend(canonical).Where(Has).ToList();
        foreach (var extra in given.Skip(1).Where(_aliasesReported.Add))
        {
            Problems.Error(_entries[extra].KeyNode, $"{extra} is another name for {canonical} (as {given[0]}); give only one of them.");
        }

        return given.Count > 0 ? given[0] : canonical;
    }

    /// <summary>merge_logs or its alias combine_logs; real PM2 files often carry both, which is fine when they agree.</summary>
    private bool? ReadMergeLogs()
    {
        var merge = Get("merge_logs", _values.Bool);
        var combine = Get("combine_logs", _values.Bool);
        if (merge is not null && combine is not null && merge != combine)
        {
            Problems.Error(KeyNode("combine_logs"), "combine_logs is another name for merge_logs, and the two disagree; give one of them.");
            return null;
        }

        return merge ?? combine;
    }

    /// <summary>PM2 names an app without a name after its script (`./bin/www` is www).</summary>
    private string? DerivedName()
    {
        if (!TryGet(Pm2Key("script"), out var script) || script is not YamlScalarNode { Value: { } text } || text.Trim().Length == 0)
        {
            return null;
        }

        return Pm2Keys.NameFromScript(text);
    }

    /// <summary>
    /// env_file: a dotenv file (relative to cwd) read under env, so a variable env sets wins, as
    /// it would if the file were sourced first. A missing or unreadable file is an error.
    /// </summary>
    private void MergeEnvFile(Dictionary<string, string> env, string cwd)
    {
        if (!TryGet("env_file", out var node) || _values.String("env_file", node) is not { } written)
        {
            return;
        }

        var path = _baseLocator.Resolve(written, cwd);
        string text;
        try
        {
            text = Platform.GuardedFile.ReadAllText(path, EcosystemLimits.MaxFileBytes);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Problems.Error(node, $"env_file: cannot read '{written}' ({path}): {ex.Message}");
            return;
        }

        foreach (var (key, value) in Js.DotenvFile.Parse(text))
        {
            env.TryAdd(key, value);
        }
    }

    /// <summary>PM2's port: a shortcut for env PORT (a PORT that env sets wins).</summary>
    private void MergePort(Dictionary<string, string> env)
    {
        if (Get("port", (k, n) => _values.Int(k, n, min: 0, max: 65535)) is { } port)
        {
            env.TryAdd("PORT", port.ToString(CultureInfo.InvariantCulture));
        }
    }

    private InstanceVars ReadInstanceVars(IReadOnlyDictionary<string, string> env)
    {
        var instanceVar = GetRef("instance_var", _values.String);
        var incrementVar = GetRef("increment_var", _values.String);
        long incrementBase = 0;
        if (incrementVar is not null)
        {
            if (!env.TryGetValue(incrementVar, out var start))
            {
                Problems.Error(KeyNode("increment_var"), $"increment_var: {incrementVar} is not set in env; PM2 adds the instance number to its value (for example env: {{ {incrementVar}: 3000 }}).");
            }
            else if (!long.TryParse(start, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out incrementBase))
            {
                Problems.Error(KeyNode("increment_var"), $"increment_var: {incrementVar} is '{start}' in env, not a whole number to increment.");
            }
        }

        // PM2 sets its instance variable on every app; sup on copies only, and on a single app
        // when the file renames the variable (then the app reads it).
        var renamed = instanceVar is not null && instanceVar != Pm2Keys.DefaultInstanceVar;
        return new InstanceVars(instanceVar ?? Pm2Keys.DefaultInstanceVar, renamed, incrementVar, incrementBase);
    }

    /// <summary>The PM2 keys that ReadRest does not read: watch tuning, cron_restart and log_file.</summary>
    private AppSpec WithPm2Keys(AppSpec spec, string cwd)
    {
        var ignoreWatch = GetRef("ignore_watch", ReadIgnoreWatch);
        var watchDelay = Get("watch_delay", Duration);
        var cronRestart = GetRef("cron_restart", ReadCron);
        var (combined, logFile) = ReadLogFile(cwd);
        return spec with
        {
            IgnoreWatch = ignoreWatch,
            WatchDelay = watchDelay ?? AppDefaults.WatchDelay,
            CronRestart = cronRestart,
            CombinedLog = combined,
            LogFile = logFile,
        };
    }

    private List<string>? ReadIgnoreWatch(string key, YamlNode node)
    {
        var patterns = new List<string>();
        foreach (var item in NodeValues.Items(node))
        {
            if (_values.String(key, item) is not { } pattern)
            {
                return null;
            }

            patterns.Add(pattern);
        }

        return patterns;
    }

    /// <summary>log_file: true (the default path), false, or a path relative to cwd.</summary>
    private (bool Combined, string? Path) ReadLogFile(string cwd)
    {
        var key = Pm2Key("log_file");
        if (!TryGet(key, out var node))
        {
            return (false, null);
        }

        if (node is YamlScalarNode { Value: { } text } && bool.TryParse(text.Trim(), out var on))
        {
            return (on, null);
        }

        var path = ReadPath(key, node, cwd);
        return (path is not null, path);
    }

    /// <summary>
    /// N copies named NAME-0 .. NAME-(N-1). Each gets SUP_INSTANCE and PM2's instance variable
    /// (NODE_APP_INSTANCE, or what instance_var names) set to its index, and increment_var's value
    /// plus its index. File paths written in the app get the same suffix so copies never share a
    /// log or PID file, unless merge_logs says they share their logs (PM2's meaning).
    /// </summary>
    private List<AppSpec> Expand(AppSpec spec, int instances, InstanceVars vars)
    {
        if (instances == 1)
        {
            if (!vars.InstanceVarGiven && vars.IncrementVar is null)
            {
                return [spec];
            }

            return [spec with { Env = InstanceEnv(spec, vars, 0) }];
        }

        // merge_logs: the copies write the app's own files; the default ones are named after the
        // app, not the copy, so they need SUP_HOME (the daemon's loads know it).
        var shared = spec.MergeLogs;
        var sharedOut = spec.OutFile ?? (shared && _options.SupHome is { } home ? Logs.LogPaths.Out(home, spec.Name) : null);
        var sharedErr = spec.ErrorFile ?? (shared && _options.SupHome is { } home2 ? Logs.LogPaths.Err(home2, spec.Name) : null);
        var sharedLog = spec.LogFile ?? (shared && spec.CombinedLog && _options.SupHome is { } home3 ? Logs.LogPaths.Combined(home3, spec.Name) : null);

        return [.. Enumerable.Range(0, instances).Select(i =>
        {
            var index = i.ToString(CultureInfo.InvariantCulture);
            return spec with
            {
                Name = $"{spec.Name}-{index}",
                Env = InstanceEnv(spec, vars, i),
                OutFile = shared ? sharedOut : WithSuffix(spec.OutFile, index),
                ErrorFile = shared ? sharedErr : WithSuffix(spec.ErrorFile, index),
                LogFile = shared ? sharedLog : WithSuffix(spec.LogFile, index),
                PidFile = WithSuffix(spec.PidFile, index),
            };
        })];
    }

    private static Dictionary<string, string> InstanceEnv(AppSpec spec, InstanceVars vars, int index)
    {
        var text = index.ToString(CultureInfo.InvariantCulture);
        var env = new Dictionary<string, string>(spec.Env, StringComparer.Ordinal)
        {
            [vars.InstanceVar] = text,
            [Pm2Keys.SupInstanceVar] = text,
        };
        if (vars.IncrementVar is { } increment)
        {
            env[increment] = (vars.IncrementBase + index).ToString(CultureInfo.InvariantCulture);
        }

        return env;
    }
}
