using YamlDotNet.RepresentationModel;

namespace Supervisor.Core.Config;

internal sealed partial class AppReader
{
    /// <summary>
    /// depends_on: a list of names (each awaited until ready) or a mapping name: ready|started.
    /// Names are checked against the whole file later (<see cref="StartOrderCheck"/>), so this
    /// keeps the node each name was written at.
    /// </summary>
    private List<(Dependency Dependency, YamlNode Node)>? ReadDependsOn()
    {
        if (!TryGet("depends_on", out var node))
        {
            return [];
        }

        var found = new List<(Dependency, YamlNode)>();
        if (node is YamlMappingNode mapping)
        {
            foreach (var entry in MappingEntries.Read(mapping, Problems).Values)
            {
                var condition = ReadCondition(entry.Key, entry.Value);
                if (condition is null)
                {
                    return null;
                }

                found.Add((new Dependency(entry.Key, condition.Value), entry.KeyNode));
            }

            return found;
        }

        foreach (var item in NodeValues.Items(node))
        {
            var name = _values.String("depends_on", item);
            if (name is null)
            {
                return null;
            }

            found.Add((new Dependency(name, DependencyCondition.Ready), item));
        }

        return found;
    }

    private DependencyCondition? ReadCondition(string name, YamlNode node)
    {
        switch ((NodeValues.IsNull(node) ? "ready" : _values.String($"depends_on.{name}", node))?.Trim().ToLowerInvariant())
        {
            case null:
                return null;
            case "ready":
                return DependencyCondition.Ready;
            case "started":
                return DependencyCondition.Started;
            default:
                Problems.Error(node, $"depends_on.{name} must be ready or started.");
                return null;
        }
    }
}

/// <summary>ready:, ready_timeout, health: and restart_with (docs/health.md).</summary>
internal sealed partial class AppReader
{
    private static readonly string[] ProbeKinds = ["log", "tcp", "http", "exec", "notify"];
    private static readonly string[] HealthTimings = ["interval", "timeout", "retries", "start_period"];

    /// <returns><paramref name="spec"/> with the readiness and health keys; problems are reported, never thrown.</returns>
    private AppSpec ReadReadiness(AppSpec spec)
    {
        var ready = GetRef("ready", (k, n) => _values.Mapping(k, n) is { } m ? ReadProbe(k, m, MappingEntries.Read(m, Problems), []) : null);
        var readyTimeout = Get("ready_timeout", (k, n) => _values.Duration(k, n, positive: true));
        var health = GetRef("health", ReadHealth);
        var restartWith = GetRef("restart_with", ReadRestartWith);
        if (readyTimeout is not null && ready is null && !Has("ready"))
        {
            Problems.Warning(KeyNode("ready_timeout"), "ready_timeout has no effect without ready:.");
        }

        return spec with
        {
            Ready = ready,
            ReadyTimeout = readyTimeout ?? Readiness.ReadinessWaiter.DefaultReadyTimeout,
            Health = health,
            RestartWith = restartWith ?? [],
        };
    }

    /// <summary>A mapping with exactly one probe kind; <paramref name="others"/> are the other keys allowed beside it.</summary>
    private Readiness.ProbeSpec? ReadProbe(string key, YamlMappingNode mapping, Dictionary<string, MappingEntry> entries, IReadOnlyCollection<string> others)
    {
        MappingEntries.RejectUnknown(entries.Values, [.. ProbeKinds, .. others], $"in {key}", Problems);
        var kinds = entries.Values.Where(e => ProbeKinds.Contains(e.Key)).ToList();
        if (kinds.Count != 1)
        {
            Problems.Error(kinds.Count == 0 ? mapping : kinds[1].KeyNode, $"{key} takes exactly one of {string.Join(", ", ProbeKinds)}.");
            return null;
        }

        var kind = kinds[0];
        var name = $"{key}.{kind.Key}";
        switch (kind.Key)
        {
            case "tcp":
                return ReadTcp(name, kind.Value);
            case "http":
                var url = _values.String(name, kind.Value)?.Trim();
                if (url is null) return null;
                if (Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https") return new Readiness.HttpProbeSpec(uri);
                Problems.Error(kind.Value, $"{name}: '{url}' is not an http:// or https:// URL.");
                return null;
            case "exec":
                return _values.String(name, kind.Value) is { } command ? new Readiness.ExecProbeSpec(command) : null;
            case "log":
                var pattern = _values.String(name, kind.Value);
                if (pattern is null) return null;
                try
                {
                    _ = new System.Text.RegularExpressions.Regex(pattern, System.Text.RegularExpressions.RegexOptions.CultureInvariant);
                    return new Readiness.LogProbeSpec(pattern);
                }
                catch (ArgumentException ex)
                {
                    Problems.Error(kind.Value, $"{name}: '{pattern}' is not a valid regular expression ({ex.Message}).");
                    return null;
                }
            default: // notify
                var on = _values.Bool(name, kind.Value);
                if (on == true) return new Readiness.NotifyProbeSpec();
                if (on == false) Problems.Error(kind.Value, $"{name} can only be true; leave out ready: for an app that is ready once started.");
                return null;
        }
    }

    /// <summary>`tcp: 8080` (on 127.0.0.1) or `tcp: host:port`.</summary>
    private Readiness.TcpProbeSpec? ReadTcp(string key, YamlNode node)
    {
        var text = _values.String(key, node)?.Trim();
        if (text is null) return null;
        var colon = text.LastIndexOf(':');
        var host = colon < 0 ? "127.0.0.1" : text[..colon].Trim('[', ']');
        var portText = colon < 0 ? text : text[(colon + 1)..];
        if (host.Length > 0 && int.TryParse(portText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port) && port is >= 1 and <= 65535)
        {
            return new Readiness.TcpProbeSpec(host, port);
        }

        Problems.Error(node, $"{key}: '{text}' is not a port (1-65535) or host:port.");
        return null;
    }

    private Readiness.HealthSpec? ReadHealth(string key, YamlNode node)
    {
        if (_values.Mapping(key, node) is not { } mapping) return null;
        var entries = MappingEntries.Read(mapping, Problems);
        var probe = ReadProbe(key, mapping, entries, HealthTimings);
        if (probe is Readiness.LogProbeSpec or Readiness.NotifyProbeSpec)
        {
            Problems.Error(entries[probe.Kind].KeyNode, $"{key}.{probe.Kind} only marks readiness (ready:); a health check is exec, tcp or http.");
            return null;
        }

        TimeSpan? Timing(string name) => entries.TryGetValue(name, out var e) && !NodeValues.IsNull(e.Value)
            ? _values.Duration($"{key}.{name}", e.Value, positive: name != "start_period")
            : null;
        var interval = Timing("interval");
        var timeout = Timing("timeout");
        var startPeriod = Timing("start_period");
        var retries = entries.TryGetValue("retries", out var r) && !NodeValues.IsNull(r.Value)
            ? _values.Int($"{key}.retries", r.Value, min: 1, max: 1000)
            : null;
        if (probe is null) return null;
        return new Readiness.HealthSpec(probe,
            interval ?? Readiness.HealthSpec.DefaultInterval,
            timeout ?? Readiness.HealthSpec.DefaultTimeout,
            retries ?? Readiness.HealthSpec.DefaultRetries,
            startPeriod ?? Readiness.HealthSpec.DefaultStartPeriod);
    }

    /// <summary>Names from depends_on whose restarts restart this app too.</summary>
    private List<string>? ReadRestartWith(string key, YamlNode node)
    {
        var dependsOn = TryGet("depends_on", out var d)
            ? (d is YamlMappingNode m ? m.Children.Keys.OfType<YamlScalarNode>().Select(k => k.Value) : NodeValues.Items(d).OfType<YamlScalarNode>().Select(s => s.Value))
                .Where(n => n is not null).Select(n => n!).ToHashSet(StringComparer.Ordinal)
            : [];
        var names = new List<string>();
        foreach (var item in NodeValues.Items(node))
        {
            var name = _values.String(key, item);
            if (name is null) return null;
            if (!dependsOn.Contains(name))
            {
                Problems.Error(item, $"{key}: '{name}' is not in depends_on; an app restarts only with apps it depends on.");
                return null;
            }
            names.Add(name);
        }
        return names;
    }
}
