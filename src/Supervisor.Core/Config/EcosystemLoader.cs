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
        return Parse(ReadFile(fullPath), fullPath, options);
    }

    /// <param name="sourcePath">Where the text came from: named in problems, and relative paths start from its folder.</param>
    /// <exception cref="SupException">The text has errors (listed in Details).</exception>
    public static Ecosystem Parse(string text, string sourcePath, LoadOptions options)
    {
        var fullPath = Path.GetFullPath(sourcePath);
        var problems = new ProblemList(sourcePath);
        var result = EcosystemReader.Read(text, fullPath, options, problems);
        if (problems.ErrorCount > 0)
        {
            var count = problems.ErrorCount == 1 ? "1 problem" : $"{problems.ErrorCount} problems";
            throw new SupException(SupError.InvalidConfig, $"{sourcePath} has {count}; nothing was started.")
            {
                Details = [.. problems.Errors.Concat(problems.Warnings).OrderBy(p => p.Line).ThenBy(p => p.Column).Select(p => p.ToString())],
            };
        }

        var apps = result.Entries.SelectMany(e => e.Specs).ToList();
        return new Ecosystem(fullPath, SelectOnly(apps, result.Entries, options.Only, sourcePath), [.. problems.Warnings], result.WatchConfig);
    }

    private static string ReadFile(string fullPath)
    {
        if (Directory.Exists(fullPath))
        {
            throw new SupException(SupError.InvalidConfig,
                $"{fullPath} is a folder; give the ecosystem file in it (for example {Path.Combine(fullPath, "ecosystem.yaml")}).");
        }

        if (Path.GetExtension(fullPath) is ".js" or ".cjs" or ".mjs")
        {
            throw new SupException(SupError.InvalidConfig,
                $"{fullPath} is JavaScript; sup reads YAML or JSON. Convert it once with: node -e \"console.log(JSON.stringify(require('{fullPath}'), null, 2))\" > ecosystem.json");
        }

        try
        {
            return File.ReadAllText(fullPath);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new SupException(SupError.InvalidConfig, $"There is no ecosystem file at {fullPath}. `sup init` writes a starter ecosystem.yaml.", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new SupException(SupError.Io, $"Cannot read {fullPath}: {e.Message}", e);
        }
    }

    /// <summary>Keeps the apps named in <paramref name="only"/> (names as written, or instance names).</summary>
    private static IReadOnlyList<AppSpec> SelectOnly(
        List<AppSpec> apps, IReadOnlyList<AppEntry> entries, string? only, string sourcePath)
    {
        if (string.IsNullOrWhiteSpace(only))
        {
            return apps;
        }

        var wanted = only.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
        var keep = entries.Where(e => wanted.Contains(e.Name!)).SelectMany(e => e.Specs)
            .Concat(apps.Where(a => wanted.Contains(a.Name)))
            .ToHashSet();
        var unknown = wanted.Where(name => !entries.Any(e => e.Name == name) && !apps.Any(a => a.Name == name)).ToList();
        if (unknown.Count > 0)
        {
            var names = string.Join(", ", entries.Select(e => e.Name));
            throw new SupException(SupError.NoSuchApp,
                $"No app named '{string.Join("', '", unknown)}' in {sourcePath}; it has: {names}.");
        }

        return [.. apps.Where(keep.Contains)];
    }
}
