using System.Text.RegularExpressions;
using Supervisor.Core.Scheduling;
using YamlDotNet.RepresentationModel;

namespace Supervisor.Core.Config;

internal sealed partial class AppReader
{
    private static readonly string[] CronMacros =
        ["@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly"];

    [GeneratedRegex(@"^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$", RegexOptions.CultureInvariant)]
    private static partial Regex ActiveHoursPattern();

    /// <summary>The job part of an app, or null for a service (whose job-only keys are errors).</summary>
    private JobSpec? ReadJob(string cwd)
    {
        if (!EcosystemKeys.JobTriggers.Any(Has))
        {
            foreach (var key in EcosystemKeys.JobOnly.Where(Has))
            {
                Problems.Error(KeyNode(key), $"{key} applies only to jobs (apps with cron, every or on_file).");
            }

            return null;
        }

        // PM2 cron apps say autorestart: false and watch: false; that is what a job does anyway.
        foreach (var key in EcosystemKeys.ServiceOnly.Append("autorestart").Where(Has))
        {
            if (_entries[key].Value is not YamlScalarNode { Value: { } value } || value.Trim() != "false")
            {
                Problems.Warning(KeyNode(key), $"{key} applies only to services; a job runs once per trigger and is not restarted.");
            }
        }

        var cron = GetRef("cron", ReadCron);
        var every = Get("every", (k, n) => _values.Duration(k, n, positive: true));
        if (Has("cron") && Has("every"))
        {
            Problems.Error(KeyNode("every"), "A job has one schedule: give cron or every, not both.");
        }

        if (Has("on_file") && (Has("cron") || Has("every")))
        {
            Problems.Error(KeyNode("on_file"), "on_file runs a job per new file; it cannot be combined with cron or every.");
        }

        var steps = GetRef("steps", ReadSteps);
        return new JobSpec
        {
            Cron = cron,
            Timezone = GetRef("timezone", ReadTimezone),
            Every = every,
            Jitter = Get("jitter", Duration) ?? TimeSpan.Zero,
            ActiveHours = GetRef("active_hours", ReadActiveHours),
            Retry = GetRef("retry", ReadRetry),
            RunMissed = Get("run_missed", _values.Bool) ?? false,
            OnFile = GetRef("on_file", (k, n) => ReadOnFile(k, n, cwd)),
            Concurrency = Get("concurrency", (k, n) => _values.Int(k, n, min: 1)) ?? 1,
            Steps = steps ?? [],
            Enabled = Get("enabled", _values.Bool) ?? true,
        };
    }

    /// <summary>
    /// The shape (field count or a macro) gets its own message; the fields themselves are checked
    /// by the scheduler's parser here too, so a typo such as <c>61 * * * *</c> is refused when the
    /// file is loaded rather than when the job is first scheduled.
    /// </summary>
    private string? ReadCron(string key, YamlNode node)
    {
        var text = _values.String(key, node)?.Trim();
        if (text is null)
        {
            return null;
        }

        var fields = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        var ok = text.StartsWith('@') ? CronMacros.Contains(text, StringComparer.OrdinalIgnoreCase) : fields.Length is 5 or 6;
        if (!ok)
        {
            Problems.Error(node, $"{key}: '{text}' is not a cron expression: give 5 fields (minute hour day month weekday), 6 with seconds first, or one of {string.Join(", ", CronMacros)}.");
            return null;
        }

        var normalized = string.Join(' ', fields);
        if (!CronExpression.TryParse(normalized, out _, out var error))
        {
            Problems.Error(node, $"{key}: {error}");
            return null;
        }

        return normalized;
    }

    private string? ReadTimezone(string key, YamlNode node)
    {
        var id = _values.String(key, node)?.Trim();
        if (id is null)
        {
            return null;
        }

        try
        {
            _ = TimeZoneInfo.FindSystemTimeZoneById(id);
            return id;
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            Problems.Error(node, $"{key}: '{id}' is not a time zone this machine knows (use an IANA id such as Europe/Paris or America/New_York).");
            return null;
        }
    }

    private string? ReadActiveHours(string key, YamlNode node)
    {
        var text = _values.String(key, node)?.Trim();
        if (text is null)
        {
            return null;
        }

        if (!ActiveHoursPattern().IsMatch(text))
        {
            Problems.Error(node, $"{key}: '{text}' is not a window of the form HH:mm-HH:mm (for example 07:00-23:00, or 22:00-06:00 across midnight).");
            return null;
        }

        if (text[..5] == text[6..])
        {
            Problems.Error(node, $"{key}: '{text}' starts and ends at the same time; leave active_hours out to run at any hour.");
            return null;
        }

        return text;
    }

    private List<string>? ReadSteps(string key, YamlNode node)
    {
        var steps = new List<string>();
        foreach (var item in NodeValues.Items(node))
        {
            var step = _values.String($"each item of {key}", item);
            if (step is null)
            {
                return null;
            }

            steps.Add(ResolveStep(step, item));
        }

        return steps;
    }

    private static readonly TimeSpan DefaultRetryDelay = TimeSpan.FromSeconds(10);

    /// <summary>{ attempts, delay, multiplier }, or a bare number of attempts.</summary>
    private RetrySpec? ReadRetry(string key, YamlNode node)
    {
        if (node is YamlScalarNode)
        {
            var count = _values.Int(key, node, min: 1);
            return count is null ? null : new RetrySpec(count.Value, DefaultRetryDelay, 1);
        }

        if (_values.Mapping(key, node) is not { } mapping)
        {
            return null;
        }

        var entries = MappingEntries.Read(mapping, Problems);
        MappingEntries.RejectUnknown(entries.Values, EcosystemKeys.Retry, "in retry", Problems);
        if (!entries.TryGetValue("attempts", out var attemptsEntry))
        {
            Problems.Error(node, "retry needs attempts: how many times to retry a failed run.");
            return null;
        }

        var attempts = _values.Int("retry.attempts", attemptsEntry.Value, min: 1);
        var delay = entries.TryGetValue("delay", out var d) ? _values.Duration("retry.delay", d.Value) : DefaultRetryDelay;
        var multiplier = entries.TryGetValue("multiplier", out var m) ? _values.Number("retry.multiplier", m.Value, min: 1) : 1;
        if (attempts is null || delay is null || multiplier is null)
        {
            return null;
        }

        // The last retry waits delay * multiplier^(attempts-1): bounded like every other delay,
        // since a timer refuses waits beyond about 49.7 days.
        var longest = delay.Value.Ticks * Math.Pow(multiplier.Value, attempts.Value - 1);
        var max = DurationLimits.MaxFor("retry.delay");
        if (longest > max.Ticks)
        {
            Problems.Error(node, $"retry: the last retry would wait longer than the limit of {Config.Duration.Format(max)} (delay x multiplier^(attempts-1)); lower attempts, delay or multiplier.");
            return null;
        }

        return new RetrySpec(attempts.Value, delay.Value, multiplier.Value);
    }

    /// <summary>{ path, pattern, move_to }, or a bare folder path.</summary>
    private OnFileSpec? ReadOnFile(string key, YamlNode node, string cwd)
    {
        if (node is YamlScalarNode)
        {
            var folder = ReadFolder("on_file", node, cwd);
            return folder is null ? null : new OnFileSpec(folder, "*", null);
        }

        if (_values.Mapping(key, node) is not { } mapping)
        {
            return null;
        }

        var entries = MappingEntries.Read(mapping, Problems);
        MappingEntries.RejectUnknown(entries.Values, EcosystemKeys.OnFile, "in on_file", Problems);
        if (!entries.TryGetValue("path", out var pathEntry))
        {
            Problems.Error(node, "on_file needs path: the folder to watch for new files.");
            return null;
        }

        var path = ReadFolder("on_file.path", pathEntry.Value, cwd);
        var pattern = entries.TryGetValue("pattern", out var p) ? _values.String("on_file.pattern", p.Value) : "*";
        var moveTo = entries.TryGetValue("move_to", out var mv) && !NodeValues.IsNull(mv.Value)
            ? ReadPath("on_file.move_to", mv.Value, cwd)
            : null;
        return path is null || pattern is null ? null : new OnFileSpec(path, pattern, moveTo);
    }

    private string? ReadFolder(string key, YamlNode node, string cwd)
    {
        var written = _values.String(key, node);
        if (written is null)
        {
            return null;
        }

        var folder = _baseLocator.Resolve(written, cwd);
        if (!Directory.Exists(folder))
        {
            Problems.Error(node, $"{key}: '{written}' is not a folder (looked for {folder}); create it or fix the path.");
            return null;
        }

        return folder;
    }
}
