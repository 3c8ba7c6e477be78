using Microsoft.Extensions.FileSystemGlobbing;
using Supervisor.Core.Platform;
using YamlDotNet.RepresentationModel;

namespace Supervisor.Core.Config;

/// <summary>One file of a load: the file given to `sup start`, or one it includes.</summary>
/// <param name="Path">Absolute. Relative paths written in the file start from its folder.</param>
internal sealed record ConfigFile(string Path, YamlNode Root)
{
    public string Folder => System.IO.Path.GetDirectoryName(Path) ?? Directory.GetCurrentDirectory();
}

/// <summary>
/// An include: glob split where its wildcards start: the literal folder, and the pattern under it.
/// </summary>
public sealed record IncludeGlob(string BaseFolder, string Pattern)
{
    /// <summary>Null when the pattern has no wildcard (a plain file path).</summary>
    public static IncludeGlob? Of(string pattern, string folder)
    {
        var full = Path.GetFullPath(Path.IsPathRooted(pattern) ? pattern : Path.Combine(folder, pattern));
        var segments = full.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var literal = segments.TakeWhile(s => s.IndexOfAny(['*', '?', '[', '{']) < 0).Count();
        return literal == segments.Length
            ? null
            : new IncludeGlob("/" + string.Join('/', segments.Take(literal)), string.Join('/', segments.Skip(literal)));
    }

    /// <summary>Whether a file under any folder depth may match: the watcher then watches subfolders.</summary>
    public bool SpansFolders => Pattern.Contains('/', StringComparison.Ordinal);

    public Matcher Matcher()
    {
        var matcher = new Matcher(StringComparison.Ordinal);
        matcher.AddInclude(Pattern);
        return matcher;
    }

    public bool IsMatch(string path) =>
        path.StartsWith(BaseFolder + "/", StringComparison.Ordinal)
        && Matcher().Match(BaseFolder, path).HasMatches;
}

/// <summary>
/// Follows the top-level <c>include:</c> of an ecosystem file (supervisord's [include], systemd
/// drop-ins): each item is a glob relative to the including file's folder; matches are read in
/// name order, depth first, each once. A glob that matches nothing is fine (an empty conf.d/);
/// a file that includes itself, directly or through others, is an error at the include naming it.
/// </summary>
internal static class IncludeResolver
{
    /// <summary>Files in one load, the first counted: far beyond a plugin folder per tool.</summary>
    public const int MaxFiles = 256;

    /// <summary>Parses one included file's text; problems name that file. Null = unreadable YAML (already reported).</summary>
    public delegate YamlNode? Parser(string text, string path);

    /// <returns>The root file first, then every included file in the order its apps are read.</returns>
    public static IReadOnlyList<ConfigFile> Resolve(ConfigFile root, Parser parse, ProblemList problems) =>
        Resolve(root, parse, problems, []);

    /// <param name="globs">Collects every glob followed, so a watcher can notice a file that matches one later.</param>
    public static IReadOnlyList<ConfigFile> Resolve(ConfigFile root, Parser parse, ProblemList problems, List<IncludeGlob> globs)
    {
        var files = new List<ConfigFile> { root };
        var seen = new HashSet<string>(StringComparer.Ordinal) { root.Path };
        Follow(root, [root.Path], files, seen, parse, problems, globs);
        return files;
    }

    /// <summary>The include: entry of a file's top level, or null.</summary>
    public static MappingEntry? Entry(YamlNode root) =>
        root is YamlMappingNode mapping
            && mapping.Children.FirstOrDefault(c => c.Key is YamlScalarNode { Value: "include" }) is { Key: { } key, Value: { } value }
            ? new MappingEntry("include", key, value)
            : null;

    private static void Follow(
        ConfigFile file, List<string> chain, List<ConfigFile> files, HashSet<string> seen, Parser parse, ProblemList problems, List<IncludeGlob> globs)
    {
        if (Entry(file.Root) is not { } entry || NodeValues.IsNull(entry.Value)) return;
        var values = new NodeValues(problems);
        foreach (var item in NodeValues.Items(entry.Value))
        {
            var pattern = values.String("include", item)?.Trim();
            if (pattern is null) continue;
            if (pattern.Length == 0)
            {
                problems.Error(item, "include: an empty pattern matches nothing; give a glob such as plugins/*/sup.yaml.");
                continue;
            }

            if (IncludeGlob.Of(pattern, file.Folder) is { } glob && !globs.Contains(glob)) globs.Add(glob);
            foreach (var path in Matches(pattern, file.Folder))
            {
                if (chain.Contains(path, StringComparer.Ordinal))
                {
                    var cycle = string.Join(" -> ", chain.SkipWhile(p => p != path).Append(path).Select(Path.GetFileName));
                    problems.Error(item, $"include: '{pattern}' matches {path}, which is already being read: the includes form a cycle ({cycle}).");
                    continue;
                }

                // Included twice by different files (a diamond): its apps are read once.
                if (!seen.Add(path)) continue;
                if (files.Count >= MaxFiles)
                {
                    problems.Error(item, $"include: more than {MaxFiles} files in one load; files from here on were not read.");
                    return;
                }

                if (Read(path, item, problems) is not { } text || parse(text, path) is not { } root) continue;
                problems.AddFile(path, root);
                var included = new ConfigFile(path, root);
                files.Add(included);
                Follow(included, [.. chain, path], files, seen, parse, problems, globs);
            }
        }
    }

    /// <summary>
    /// The files a glob matches, sorted. The literal folders before the first wildcard are the
    /// base (so ../shared/*.yaml and absolute patterns work); ** spans folders.
    /// </summary>
    public static IEnumerable<string> Matches(string pattern, string folder)
    {
        if (IncludeGlob.Of(pattern, folder) is not { } glob)
        {
            var full = Path.GetFullPath(Path.IsPathRooted(pattern) ? pattern : Path.Combine(folder, pattern));
            return File.Exists(full) ? [full] : [];
        }

        if (!Directory.Exists(glob.BaseFolder)) return [];
        return glob.Matcher().GetResultsInFullPath(glob.BaseFolder).Select(Path.GetFullPath).Order(StringComparer.Ordinal);
    }

    private static string? Read(string path, YamlNode at, ProblemList problems)
    {
        try
        {
            var text = GuardedFile.ReadAllText(path, EcosystemLimits.MaxFileBytes);
            return JsonComments.IsJson(path) ? JsonComments.Blank(text) : text;
        }
        catch (NotRegularFileException e)
        {
            problems.Error(at, $"include: {path} is a {e.TypeName}, not a regular file.");
        }
        catch (FileTooLargeException e)
        {
            problems.Error(at, $"include: {path} is {e.Size} bytes; an ecosystem file may be at most {EcosystemLimits.MaxFileBytes} bytes (1 MiB).");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            problems.Error(at, $"include: cannot read {path}: {e.Message}");
        }

        return null;
    }
}
