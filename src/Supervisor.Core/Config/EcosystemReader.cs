using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Supervisor.Core.Config;

/// <summary>Reads a whole ecosystem file: YAML syntax, the top level, each app, then cross-app rules.</summary>
internal static partial class EcosystemReader
{
    public sealed record Result(IReadOnlyList<AppEntry> Entries, bool WatchConfig)
    {
        /// <summary>The files read through include: (absolute), in the order read.</summary>
        public IReadOnlyList<string> Included { get; init; } = [];

        /// <summary>The include: globs followed, for a watcher to notice files that match later.</summary>
        public IReadOnlyList<IncludeGlob> IncludeGlobs { get; init; } = [];
    }

    /// <param name="includesAllowed">False for the JSON a JavaScript file exported, whose lines the user never saw.</param>
    public static Result Read(
        string text, string sourceFile, LoadOptions options, ProblemList problems, int maxApps = EcosystemLimits.MaxApps, bool includesAllowed = true)
    {
        var root = ParseYaml(text, problems, problems.File);
        if (root is null)
        {
            return new Result([], false);
        }

        var rootFile = new ConfigFile(sourceFile, root);
        IReadOnlyList<ConfigFile> files = [rootFile];
        var globs = new List<IncludeGlob>();
        if (IncludeResolver.Entry(root) is { } include && !NodeValues.IsNull(include.Value))
        {
            if (includesAllowed)
            {
                files = IncludeResolver.Resolve(rootFile, (included, path) => ParseYaml(included, problems, path), problems, globs);
            }
            else
            {
                problems.Error(include.KeyNode, "include: is read from YAML and JSON ecosystem files only; in an ecosystem.config.js, require() the other files and add their apps to apps.");
            }
        }

        // Every file's commands first: an app may run a plugin declared in a file read after it.
        var plugins = PluginCatalog.Read(files, problems);
        var entries = new List<AppEntry>();
        var watchConfig = false;
        var total = 0;
        foreach (var file in files)
        {
            var (appsNode, watch) = ReadTopLevel(file.Root, new NodeValues(problems));
            if (file == rootFile)
            {
                watchConfig = watch;
            }
            else if (watch && file.Root is YamlMappingNode top && top.Children.Keys.FirstOrDefault(k => k is YamlScalarNode { Value: "watch_config" }) is { } key)
            {
                problems.Warning(key, $"watch_config is read from the file given to sup start ({Path.GetFileName(sourceFile)}) only; set it there, and it watches the included files too.");
            }

            var fileOptions = options with { Plugins = plugins, LoadedFrom = file == rootFile ? null : sourceFile };
            var fileEntries = ReadApps(appsNode, file.Path, fileOptions, problems, maxApps, ref total);
            entries.AddRange(WithFileNotify(file.Root, fileEntries, problems));
        }

        RejectDuplicateNames(entries, problems);
        StartOrderCheck.Run(entries, problems);
        WarnAboutUnusedProfile(entries, options, root, problems);
        return new Result(entries, watchConfig) { Included = [.. files.Skip(1).Select(f => f.Path)], IncludeGlobs = globs };
    }

    /// <summary>
    /// The files a file includes (absolute, in reading order), without reading any app: for a
    /// daemon that restored a watched file from its journal and must watch its includes too.
    /// Problems are ignored here; the next load reports them.
    /// </summary>
    public static (IReadOnlyList<string> Files, IReadOnlyList<IncludeGlob> Globs) IncludedFiles(string text, string sourceFile)
    {
        var problems = new ProblemList(sourceFile);
        if (ParseYaml(text, problems, sourceFile) is not { } root) return ([], []);
        var globs = new List<IncludeGlob>();
        var files = IncludeResolver.Resolve(new ConfigFile(sourceFile, root), (included, path) => ParseYaml(included, problems, path), problems, globs);
        return ([.. files.Skip(1).Select(f => f.Path)], globs);
    }

    private static List<AppEntry> ReadApps(YamlNode? appsNode, string file, LoadOptions options, ProblemList problems, int maxApps, ref int total)
    {
        var entries = new List<AppEntry>();
        if (appsNode is YamlMappingNode singleApp)
        {
            entries.Add(AppReader.Read(singleApp, file, options, problems));
        }
        else if (appsNode is YamlSequenceNode list)
        {
            foreach (var item in list)
            {
                if (item is YamlMappingNode app)
                {
                    var entry = AppReader.Read(app, file, options, problems);
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

        return entries;
    }

    /// <param name="file">Named in the problems: the file given to sup start, or an included one.</param>
    private static YamlNode? ParseYaml(string text, ProblemList problems, string file)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new DepthLimitedParser(new Parser(new StringReader(text)), EcosystemLimits.MaxNestingDepth));
        }
        catch (NestingTooDeepException e)
        {
            problems.Error(file, Math.Max(1, (int)e.Start.Line), Math.Max(1, (int)e.Start.Column),
                $"Mappings and lists are nested more than {e.MaxDepth} deep here; an ecosystem file needs only a few levels.");
            return null;
        }
        catch (YamlException e)
        {
            problems.Error(file, Math.Max(1, (int)e.Start.Line), Math.Max(1, (int)e.Start.Column), $"This is not valid YAML: {Describe(e)}");
            return null;
        }

        if (stream.Documents.Count == 0)
        {
            problems.Error(file, 1, 1, "The file is empty; list the apps under apps:.");
            return null;
        }

        if (stream.Documents.Count > 1)
        {
            var second = stream.Documents[1].RootNode;
            problems.Error(file, (int)second.Start.Line, (int)second.Start.Column, "The file holds more than one YAML document (---); list every app under one apps:.");
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
                if (!entries.TryGetValue("apps", out var apps) && (entries.ContainsKey("include") || entries.ContainsKey("commands")))
                {
                    return (new YamlSequenceNode(), watchConfig); // a file of includes or of plugin commands needs no apps
                }

                if (apps is null)
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
                    var where = problems.FileOf(first) == problems.FileOf(entry.NameNode!) ? "" : $" of {problems.FileOf(first)}";
                    problems.Error(entry.NameNode!, $"{what} is already used by the app at line {first.Start.Line}{where}; names must be unique.");
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
