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
        return Parse(ReadFile(fullPath), fullPath, options);
    }

    /// <param name="sourcePath">Where the text came from: named in problems, and relative paths start from its folder.</param>
    /// <param name="maxApps">
    /// Apps (instances counted) the text may hold. A saved set (dump.yaml) holds the apps of many
    /// files and is bounded by its size instead.
    /// </param>
    /// <exception cref="SupException">The text has errors (listed in Details).</exception>
    public static Ecosystem Parse(string text, string sourcePath, LoadOptions options, int maxApps = EcosystemLimits.MaxApps)
    {
        var fullPath = Path.GetFullPath(sourcePath);
        var problems = new ProblemList(sourcePath);
        var result = EcosystemReader.Read(text, fullPath, options, problems, maxApps);
        if (problems.ErrorCount > 0)
        {
            var count = problems.ErrorCount == 1 ? "1 problem" : $"{problems.ErrorCount} problems";
            throw new SupException(SupError.InvalidConfig, $"{sourcePath} has {count}; nothing was started.")
            {
                Details = [.. problems.All.OrderBy(p => p.Line).ThenBy(p => p.Column).Select(p => p.ToString())],
            };
        }

        return new Ecosystem(fullPath, SelectOnly(result.Entries, options.Only, sourcePath), [.. problems.Warnings], result.WatchConfig);
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
