using Supervisor.Core.Config.Js;
using Supervisor.Core.Platform;

namespace Supervisor.Core.Config;

/// <summary>
/// Loads an ecosystem file (YAML, or JSON, which is YAML) into validated <see cref="AppSpec"/>s.
/// Every problem in the file is collected and reported at once, each with file, line and column;
/// an invalid file yields no apps at all.
/// </summary>
public static class EcosystemLoader
{
    /// <summary>The app keys the loader supports; docs/ecosystem.schema.json must agree.</summary>
    internal static IReadOnlyCollection<string> KnownAppKeys => EcosystemKeys.App;

    /// <exception cref="SupException">The file cannot be read, or has errors (listed in Details).</exception>
    public static Ecosystem Load(string path, LoadOptions options)
    {
        var fullPath = Path.GetFullPath(path);
        var text = ReadFile(fullPath);
        if (JsonComments.IsJson(fullPath)) text = JsonComments.Blank(text);
        return JsEcosystemFile.IsJavaScript(fullPath) ? ParseJavaScript(text, fullPath, options) : Parse(text, fullPath, options);
    }

    /// <summary>
    /// A PM2 ecosystem.config.js: run (bounded) to the JSON it exports, then read like a JSON file;
    /// problems name the key they are at, since the user never saw that JSON's lines.
    /// </summary>
    private static Ecosystem ParseJavaScript(string source, string fullPath, LoadOptions options)
    {
        JsExport export;
        try
        {
            export = JsEcosystemFile.Evaluate(fullPath, source, options.BaseEnvironment ?? Daemon.ShellEnvironment.Current());
        }
        catch (JsConfigException e)
        {
            throw new SupException(SupError.InvalidConfig, $"{fullPath} has 1 problem; nothing was started.", e) { Details = [e.Problem.ToString()] };
        }

        var lines = new JsonLineMap(export.Json);
        return Parse(export.Json, fullPath, options, EcosystemLimits.MaxApps, problem => problem with { Where = Where(lines.PathAt(problem.Line), export.AppNames) }, includesAllowed: false);
    }

    /// <summary>`apps[1] (worker).max_restarts`: the path, with the app's name where it has one.</summary>
    private static string Where(string path, IReadOnlyList<string?> names)
    {
        if (path.Length == 0) return "the exported object";
        if (!path.StartsWith("apps[", StringComparison.Ordinal)) return path;
        var close = path.IndexOf(']');
        if (close < 0 || !int.TryParse(path.AsSpan(5, close - 5), out var index) || index >= names.Count || names[index] is not { } name) return path;
        return $"{path[..(close + 1)]} ({name}){path[(close + 1)..]}";
    }

    /// <param name="sourcePath">Where the text came from: named in problems, and relative paths start from its folder.</param>
    /// <param name="maxApps">
    /// Apps (instances counted) the text may hold. A saved set (dump.yaml) holds the apps of many
    /// files and is bounded by its size instead.
    /// </param>
    /// <exception cref="SupException">The text has errors (listed in Details).</exception>
    public static Ecosystem Parse(string text, string sourcePath, LoadOptions options, int maxApps = EcosystemLimits.MaxApps) =>
        Parse(text, sourcePath, options, maxApps, relocate: null);

    private static Ecosystem Parse(
        string text, string sourcePath, LoadOptions options, int maxApps, Func<ConfigProblem, ConfigProblem>? relocate, bool includesAllowed = true)
    {
        var fullPath = Path.GetFullPath(sourcePath);
        var problems = new ProblemList(sourcePath);
        var result = EcosystemReader.Read(text, fullPath, options, problems, maxApps, includesAllowed);
        relocate ??= p => p;
        if (problems.ErrorCount > 0)
        {
            var count = problems.ErrorCount == 1 ? "1 problem" : $"{problems.ErrorCount} problems";
            throw new SupException(SupError.InvalidConfig, $"{sourcePath} has {count}; nothing was started.")
            {
                // The given file's problems first, then each included file's, each in line order.
                Details = [.. problems.All.OrderBy(p => p.File != sourcePath).ThenBy(p => p.File, StringComparer.Ordinal)
                    .ThenBy(p => p.Line).ThenBy(p => p.Column).Select(p => relocate(p).ToString())],
            };
        }

        return new Ecosystem(fullPath, SelectOnly(result.Entries, options.Only, sourcePath), [.. problems.Warnings.Select(relocate)], result.WatchConfig)
        {
            Included = result.Included,
            IncludeGlobs = result.IncludeGlobs,
        };
    }

    /// <summary>
    /// The files an ecosystem file reads through include: and the globs it follows, or none when it
    /// cannot be read (a JavaScript file has none).
    /// </summary>
    public static (IReadOnlyList<string> Files, IReadOnlyList<IncludeGlob> Globs) IncludedFiles(string path)
    {
        var fullPath = Path.GetFullPath(path);
        if (JsEcosystemFile.IsJavaScript(fullPath)) return ([], []);
        try
        {
            return EcosystemReader.IncludedFiles(ReadFile(fullPath), fullPath);
        }
        catch (SupException)
        {
            return ([], []);
        }
    }

    private static string ReadFile(string fullPath)
    {
        if (Directory.Exists(fullPath))
        {
            throw new SupException(SupError.InvalidConfig,
                $"{fullPath} is a folder; give the ecosystem file in it (for example {Path.Combine(fullPath, "ecosystem.yaml")}).");
        }

        try
        {
            return GuardedFile.ReadAllText(fullPath, EcosystemLimits.MaxFileBytes);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new SupException(SupError.InvalidConfig, $"There is no ecosystem file at {fullPath}. `sup init` writes a starter ecosystem.yaml.", e);
        }
        catch (NotRegularFileException e)
        {
            throw new SupException(SupError.InvalidConfig,
                $"{fullPath} is a {e.TypeName}, not a regular file; an ecosystem file must be a regular file.", e);
        }
        catch (FileTooLargeException e)
        {
            throw new SupException(SupError.InvalidConfig,
                $"{fullPath} is {e.Size} bytes; an ecosystem file may be at most {EcosystemLimits.MaxFileBytes} bytes (1 MiB). Split it into several files.", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new SupException(SupError.Io, $"Cannot read {fullPath}: {e.Message}", e);
        }
    }

    /// <summary>The apps named in <paramref name="only"/>: names as written (all instances) or instance names.</summary>
    private static IReadOnlyList<AppSpec> SelectOnly(IReadOnlyList<AppEntry> entries, string? only, string sourcePath)
    {
        if (string.IsNullOrWhiteSpace(only))
        {
            return [.. entries.SelectMany(e => e.Specs)];
        }

        var wanted = only.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var known = entries.SelectMany(e => e.Specs.Select(s => s.Name).Append(e.Name!)).ToHashSet(StringComparer.Ordinal);
        var unknown = wanted.Where(name => !known.Contains(name)).ToList();
        if (unknown.Count > 0)
        {
            throw new SupException(SupError.NoSuchApp,
                $"No app named '{string.Join("', '", unknown)}' in {sourcePath}; it has: {string.Join(", ", entries.Select(e => e.Name))}.");
        }

        return [.. entries.SelectMany(e => wanted.Contains(e.Name) ? e.Specs : e.Specs.Where(s => wanted.Contains(s.Name)))];
    }
}
