using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace Supervisor.Core.Config;

/// <summary>
/// Validates one app mapping into <see cref="AppSpec"/>s, reporting every problem it finds.
/// One instance per app item; split by concern into partial files.
/// </summary>
internal sealed partial class AppReader
{
    private readonly YamlMappingNode _node;
    private readonly Dictionary<string, MappingEntry> _entries;
    private readonly NodeValues _values;
    private readonly string _sourceFile;
    private readonly string _fileFolder;
    private readonly LoadOptions _options;
    private readonly ProgramLocator _baseLocator;

    private AppReader(YamlMappingNode node, string sourceFile, LoadOptions options, ProblemList problems)
    {
        _node = node;
        _values = new NodeValues(problems);
        _entries = MappingEntries.Read(node, problems);
        _sourceFile = sourceFile;
        _fileFolder = Path.GetDirectoryName(sourceFile) ?? Directory.GetCurrentDirectory();
        _options = options;
        _baseLocator = new ProgramLocator(options.BaseEnvironment);
    }

    private ProblemList Problems => _values.Problems;

    public static AppEntry Read(YamlMappingNode node, string sourceFile, LoadOptions options, ProblemList problems) =>
        new AppReader(node, sourceFile, options, problems).Read();

    private AppEntry Read()
    {
        var errorsBefore = Problems.ErrorCount;
        CheckKeys();
        var name = ReadName(out var nameNode);
        var cwd = ReadCwdOrPluginFolder();
        var env = ReadEnv(out var profiles);
        MergeEnvFile(env, cwd ?? _fileFolder);
        MergePort(env);
        var instanceVars = ReadInstanceVars(env);
        var job = ReadJob(cwd ?? _fileFolder);
        var launch = cwd is null ? null : ReadLaunch(name, cwd, env, job);
        var spec = ReadRest(name ?? "", cwd ?? _fileFolder, env, job, launch);
        spec = spec is null ? null : WithPm2Keys(spec, cwd ?? _fileFolder);
        var instances = ReadInstances();
        var dependsOn = ReadDependsOn();
        if (spec is not null && dependsOn is not null)
        {
            spec = spec with { DependsOn = [.. dependsOn.Select(d => d.Dependency)] };
        }

        if (spec is not null)
        {
            spec = ReadReadiness(spec);
        }

        var external = ReadDetectExternal();
        if (spec is not null && external is not null)
        {
            spec = spec with { DetectExternal = external };
        }

        var group = ReadGroup(job);

        var valid = Problems.ErrorCount == errorsBefore && name is not null && spec is not null && instances is not null;
        return new AppEntry(name, nameNode, valid ? ExpandGroup(ExpandOrCluster(spec!, instances!.Value, instanceVars), group) : [], profiles)
        {
            Dependencies = dependsOn ?? [],
        };
    }

    private void CheckKeys()
    {
        foreach (var entry in _entries.Values)
        {
            if (EcosystemKeys.App.Contains(entry.Key) || EcosystemKeys.IsEnvProfile(entry.Key))
            {
                continue;
            }

            if (EcosystemKeys.IgnoredPm2.TryGetValue(entry.Key, out var pm2))
            {
                var harmless = entry.Value is YamlScalarNode { Value: { } value }
                    && pm2.Harmless.Contains(value, StringComparer.OrdinalIgnoreCase);
                if (!harmless)
                {
                    Problems.Warning(entry.KeyNode, $"{entry.Key} is a PM2 option with no meaning here, ignored: {pm2.Reason}");
                }

                continue;
            }

            Problems.Error(entry.KeyNode, MappingEntries.UnknownKeyMessage(entry.Key, "in an app", EcosystemKeys.App));
        }
    }

    private string? ReadName(out YamlNode? nameNode)
    {
        nameNode = null;
        if (!TryGet("name", out var node))
        {
            // PM2 names it after its script.
            if (DerivedName() is { } derived)
            {
                // Two apps named after the same script are a duplicate, reported at the script.
                TryGet(Pm2Key("script"), out var scriptNode);
                nameNode = scriptNode;
                if (AppNames.Problem(derived) is { } derivedProblem)
                {
                    Problems.Error(_node, $"This app has no name, and the one its script gives is not usable: {derivedProblem} Give it a name:.");
                    return null;
                }

                return derived;
            }

            Problems.Error(_node, "This app has no name and no script to name it after; give it a name:.");
            return null;
        }

        nameNode = node;
        var name = _values.String("name", node);
        if (name is null)
        {
            return null;
        }

        if (AppNames.Problem(name) is { } problem)
        {
            Problems.Error(node, $"name: {problem}");
            return null;
        }

        return name;
    }

    private string? ReadCwd()
    {
        if (!TryGet("cwd", out var node))
        {
            return _fileFolder;
        }

        var text = _values.String("cwd", node);
        if (text is null)
        {
            return null;
        }

        var cwd = _baseLocator.Resolve(text, _fileFolder);
        if (!Directory.Exists(cwd))
        {
            Problems.Error(node, $"cwd: '{text}' is not a folder (looked for {cwd}).");
            return null;
        }

        return cwd;
    }

    private Dictionary<string, string> ReadEnv(out IReadOnlyCollection<string> profiles)
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        if (TryGet("env", out var node))
        {
            ReadEnvMapping("env", node, env);
        }

        var found = new List<string>();
        foreach (var entry in _entries.Values.Where(e => EcosystemKeys.IsEnvProfile(e.Key)))
        {
            var profile = entry.Key[EcosystemKeys.EnvProfilePrefix.Length..];
            found.Add(profile);
            var overrides = new Dictionary<string, string>(StringComparer.Ordinal);
            if (!NodeValues.IsNull(entry.Value))
            {
                ReadEnvMapping(entry.Key, entry.Value, overrides);
            }

            if (profile == _options.EnvProfile)
            {
                foreach (var (key, value) in overrides)
                {
                    env[key] = value;
                }
            }
        }

        profiles = found;
        return env;
    }

    private void ReadEnvMapping(string key, YamlNode node, Dictionary<string, string> into)
    {
        if (_values.Mapping(key, node) is not { } mapping)
        {
            return;
        }

        foreach (var entry in MappingEntries.Read(mapping, Problems).Values)
        {
            if (entry.Key.Length == 0 || entry.Key.Contains('=') || entry.Key.Contains('\0'))
            {
                Problems.Error(entry.KeyNode, $"{key}: '{entry.Key}' is not a valid variable name.");
                continue;
            }

            var value = NodeValues.IsNull(entry.Value) ? "" : _values.Text($"{key}.{entry.Key}", entry.Value);
            if (value is not null)
            {
                into[entry.Key] = value;
            }
        }
    }

    private int? ReadInstances()
    {
        if (!TryGet("instances", out var node))
        {
            return 1;
        }

        // PM2's "max" (and 0): one per CPU; -1: all CPUs but one.
        if (node is YamlScalarNode { Value: { } text } && text.Trim().Equals("max", StringComparison.OrdinalIgnoreCase))
        {
            return Environment.ProcessorCount;
        }

        // Each instance is a process, a supervisor and two log files: a typo of 100000000 must
        // be an error, not a daemon growing to gigabytes.
        var written = _values.Int("instances", node, min: -1, max: EcosystemLimits.MaxInstances);
        return written is { } count ? Pm2Keys.Instances(count, Environment.ProcessorCount) : null;
    }

    private static string? WithSuffix(string? path, string index)
    {
        if (path is null || path.StartsWith("/dev/", StringComparison.Ordinal))
        {
            return path;
        }

        var extension = Path.GetExtension(path);
        return string.Concat(path.AsSpan(0, path.Length - extension.Length), "-", index, extension);
    }

    /// <summary>False when the key is absent or written with no value.</summary>
    private bool TryGet(string key, out YamlNode value)
    {
        value = null!;
        if (!_entries.TryGetValue(key, out var entry) || NodeValues.IsNull(entry.Value))
        {
            return false;
        }

        value = entry.Value;
        return true;
    }

    private bool Has(string key) => TryGet(key, out _);

    private YamlNode KeyNode(string key) => _entries[key].KeyNode;

    private T? Get<T>(string key, Func<string, YamlNode, T?> read) where T : struct =>
        TryGet(key, out var node) ? read(key, node) : null;

    private T? GetRef<T>(string key, Func<string, YamlNode, T?> read) where T : class =>
        TryGet(key, out var node) ? read(key, node) : null;

    /// <summary>The key to read of a key and its PM2 alias; both at once is an error.</summary>
    private string Aliased(string key, string alias)
    {
        if (Has(key) && Has(alias))
        {
            Problems.Error(KeyNode(alias), $"{alias} is another name for {key}; give only one of them.");
        }

        return Has(alias) ? alias : key;
    }
}
