using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Supervisor.Core.Config;

/// <summary>Reads a whole ecosystem file: YAML syntax, the top level, each app, then cross-app rules.</summary>
internal static partial class EcosystemReader
{
    public sealed record Result(IReadOnlyList<AppEntry> Entries, bool WatchConfig);

    public static Result Read(string text, string sourceFile, LoadOptions options, ProblemList problems, int maxApps = EcosystemLimits.MaxApps)
    {
        var root = ParseYaml(text, problems);
        if (root is null)
        {
            return new Result([], false);
        }

        var (appsNode, watchConfig) = ReadTopLevel(root, new NodeValues(problems));
        var entries = new List<AppEntry>();
        if (appsNode is YamlMappingNode singleApp)
        {
            entries.Add(AppReader.Read(singleApp, sourceFile, options, problems));
        }
        else if (appsNode is YamlSequenceNode list)
        {
            var total = 0;
            foreach (var item in list)
            {
                if (item is YamlMappingNode app)
                {
                    var entry = AppReader.Read(app, sourceFile, options, problems);
                    entries.Add(entry);
                    // Checked as we go, so a file of many apps with many instances each never
                    // holds more than one app's worth of specs beyond the limit.
                    total += entry.Specs.Count;
                    if (total > maxApps)
                    {
                        problems.Error(app, $"The file has more than {maxApps} apps (instances counted); split it or lower instances. Apps after this one were not read.");
                        break;
                    }
                }
                else
                {
                    problems.Error(item, $"Each item of apps must be an app (name: ..., script: ...), not a {NodeValues.Describe(item)}.");
                }
            }
        }

        entries = WithFileNotify(root, entries, problems);
        RejectDuplicateNames(entries, problems);
        StartOrderCheck.Run(entries, problems);
        WarnAboutUnusedProfile(entries, options, root, problems);
        return new Result(entries, watchConfig);
    }

    private static YamlNode? ParseYaml(string text, ProblemList problems)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new DepthLimitedParser(new Parser(new StringReader(text)), EcosystemLimits.MaxNestingDepth));
        }
        catch (NestingTooDeepException e)
        {
            problems.Error(Math.Max(1, (int)e.Start.Line), Math.Max(1, (int)e.Start.Column), 
                $"Mappings and lists are nested more than {e.MaxDepth} deep here; an ecosystem file needs only a few levels.");
            return null;
        }
        catch (YamlException e)
        {
            problems.Error(Math.Max(1, (int)e.Start.Line), Math.Max(1, (int)e.Start.Column), $"This is not valid YAML: {Describe(e)}");
            return null;
        }

        if (stream.Documents.Count == 0)
        {
            problems.Error(1, 1, "The file is empty; list the apps under apps:.");
            return null;
        }

        if (stream.Documents.Count > 1)
        {
            problems.Error(stream.Documents[1].RootNode, "The file holds more than one YAML document (---); list every app under one apps:.");
        }

        return stream.Documents[0].RootNode;
    }

    [GeneratedRegex("^Duplicate key (.*)$")]
    private static partial Regex DuplicateKey();

    private static string Describe(YamlException e)
    {
        var duplicate = DuplicateKey().Match(e.Message);
        return duplicate.Success
            ? $"the key '{duplicate.Groups[1].Value}' appears twice in the same mapping."
            : e.Message;
    }

    /// <summary>The apps node (a list, or one app for PM2's single-app files) and watch_config.</summary>
    private static (YamlNode? Apps, bool WatchConfig) ReadTopLevel(YamlNode root, NodeValues values)
    {
        var problems = values.Problems;
        switch (root)
        {
            case YamlSequenceNode list:
                return (list, false);
            case YamlMappingNode mapping:
                var entries = MappingEntries.Read(mapping, problems);
                if (!entries.ContainsKey("apps") && (entries.ContainsKey("name") || entries.ContainsKey("script")))
                {
                    return (mapping, false);
                }

                foreach (var entry in entries.Values)
                {
                    if (EcosystemKeys.IgnoredTopLevel.TryGetValue(entry.Key, out var reason))
                    {
                        problems.Warning(entry.KeyNode, $"{entry.Key} is a PM2 option with no meaning here, ignored: {reason}");
                    }
                    else if (!EcosystemKeys.TopLevel.Contains(entry.Key)
                        && !entry.Key.StartsWith(EcosystemKeys.ExtensionPrefix, StringComparison.Ordinal))
                    {
                        problems.Error(entry.KeyNode, MappingEntries.UnknownKeyMessage(entry.Key, "at the top level (apps, watch_config)", EcosystemKeys.TopLevel));
                    }
                }

                var watchConfig = entries.TryGetValue("watch_config", out var watch) && !NodeValues.IsNull(watch.Value)
                    && values.Bool("watch_config", watch.Value) == true;
                if (!entries.TryGetValue("apps", out var apps))
                {
                    problems.Error(root, "There is no apps: key; list the apps under it.");
                    return (null, watchConfig);
                }

                if (NodeValues.IsNull(apps.Value))
                {
                    return (new YamlSequenceNode(), watchConfig);
                }

                if (apps.Value is not YamlSequenceNode)
                {
                    problems.Error(apps.Value, $"apps must be a list of apps, not a {NodeValues.Describe(apps.Value)}.");
                    return (null, watchConfig);
                }

                return (apps.Value, watchConfig);
            default:
                problems.Error(root, "The file must be a mapping with apps: (a list of apps).");
                return (null, false);
        }
    }

    private static void RejectDuplicateNames(IEnumerable<AppEntry> entries, ProblemList problems)
    {
        var seen = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
        foreach (var entry in entries.Where(e => e is { Name: not null, NameNode: not null }))
        {
            var names = entry.Specs.Count > 0 ? entry.Specs.Select(s => s.Name) : [entry.Name!];
            foreach (var name in names)
            {
                if (seen.TryGetValue(name, out var first))
                {
                    var what = name == entry.Name ? $"name: '{name}'" : $"name: '{entry.Name}' (instance '{name}')";
                    problems.Error(entry.NameNode!, $"{what} is already used by the app at line {first.Start.Line}; names must be unique.");
                    break;
                }

                seen[name] = entry.NameNode!;
            }
        }
    }

    private static void WarnAboutUnusedProfile(
        IReadOnlyList<AppEntry> entries, LoadOptions options, YamlNode root, ProblemList problems)
    {
        if (options.EnvProfile is { } profile && entries.Count > 0 && !entries.Any(e => e.EnvProfiles.Contains(profile)))
        {
            problems.Warning(root, $"No app has env_{profile}, so --env {profile} changes nothing.");
        }
    }
}
