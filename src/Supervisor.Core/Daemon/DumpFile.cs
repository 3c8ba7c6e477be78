using System.Globalization;
using Supervisor.Core.Config;
using Supervisor.Core.Platform;
using YamlDotNet.RepresentationModel;

namespace Supervisor.Core.Daemon;

/// <summary>
/// $SUP_HOME/dump.yaml, what `sup save` writes and `sup resurrect` reads: an ordinary ecosystem
/// file (EcosystemWriter) plus an <c>x-sup</c> block the loader ignores, which records where each
/// app came from and how its files were loaded. Loading the file alone would make every app's
/// source dump.yaml; with the block, a resurrected app keeps its identity, so a later
/// `sup reload FILE` still deletes what FILE no longer lists, and watch_config keeps watching.
/// </summary>
public static class DumpFile
{
    private const string Block = "x-sup";

    public static string BackupOf(string path) => path + ".bak";

    /// <summary>
    /// Writes the set atomically. The file it replaces is first kept as dump.yaml.bak, but only
    /// when it still loads: a broken dump never overwrites the last good backup.
    /// </summary>
    /// <returns>True when the previous dump was kept as the backup.</returns>
    /// <exception cref="SupException">The set would not load back (a script is gone ...): nothing is written.</exception>
    public static bool Write(string path, SavedAppSet set, IReadOnlyDictionary<string, bool> jobEnabled, LoadOptions options)
    {
        var text = ToYaml(set, jobEnabled);
        try
        {
            EcosystemLoader.Parse(text, path, options, int.MaxValue);
        }
        catch (SupException ex) when (ex.Error == SupError.InvalidConfig)
        {
            throw new SupException(SupError.InvalidConfig,
                $"The running apps cannot be saved as they are: they would not load back. Fix or `sup delete` the apps named below, then save again; {path} was left as it is.")
            {
                Details = ex.Details,
            };
        }

        var backedUp = false;
        try
        {
            if (File.Exists(path))
            {
                var previous = File.ReadAllBytes(path);
                if (Loads(previous, path, options))
                {
                    AtomicFile.WriteAllBytes(BackupOf(path), previous);
                    backedUp = true;
                }
            }

            AtomicFile.WriteAllText(path, text);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new SupException(SupError.Io, ex.Message, ex);
        }
        return backedUp;
    }

    /// <summary>A saved set may be larger than one ecosystem file (it holds the apps of many), within reason.</summary>
    public const long MaxDumpBytes = 64L * 1024 * 1024;

    /// <exception cref="SupException">The dump is missing (Io) or does not load (InvalidConfig, problems in Details).</exception>
    /// <param name="supHome">The SUP_HOME whose default log files the apps use; null = the dump's folder.</param>
    public static SavedAppSet Read(string path, LoadOptions options, string? supHome = null)
    {
        string text;
        try
        {
            // Not a FIFO or device, and bounded: a dump holds at most every app of every file.
            text = GuardedFile.ReadAllText(path, MaxDumpBytes);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new SupException(SupError.Io, $"There is no saved app set at {path}; `sup save` writes one from the running apps.{BackupHint(path)}", ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new SupException(SupError.Io, $"Cannot read the saved app set {path}: {ex.Message}", ex);
        }

        Ecosystem ecosystem;
        try
        {
            ecosystem = EcosystemLoader.Parse(text, path, options, int.MaxValue);
        }
        catch (SupException ex) when (ex.Error == SupError.InvalidConfig)
        {
            throw new SupException(SupError.InvalidConfig, $"The saved app set {path} does not load, so nothing was resurrected.{BackupHint(path)}", ex)
            {
                Details = ex.Details,
            };
        }

        var (sources, files) = ReadBlock(text);
        var format = DumpFormat.Of(BlockOf(text));
        var home = supHome ?? Path.GetDirectoryName(Path.GetFullPath(path))!;
        var apps = ecosystem.Apps
            .Select(a => sources.TryGetValue(a.Name, out var source) ? a with { SourceFile = source } : a)
            .Select(a => DumpFormat.Migrate(a, format, home))
            .ToList();
        return new SavedAppSet(apps, files);
    }

    internal static string ToYaml(SavedAppSet set, IReadOnlyDictionary<string, bool> jobEnabled)
    {
        var sources = new YamlMappingNode();
        foreach (var app in set.Apps)
            sources.Add(app.Name, app.SourceFile ?? "");
        var files = new YamlSequenceNode();
        foreach (var file in set.Files)
        {
            var node = new YamlMappingNode { { "path", file.Path } };
            if (file.EnvProfile is not null) node.Add("env", file.EnvProfile);
            if (file.Only is not null) node.Add("only", file.Only);
            node.Add("watch", file.Watch ? "true" : "false");
            files.Add(node);
        }

        var block = new YamlMappingNode
        {
            { "format", DumpFormat.Current.ToString(CultureInfo.InvariantCulture) }, { "sources", sources }, { "files", files },
        };
        if (set.Files.Count == 0) files.Style = YamlDotNet.Core.Events.SequenceStyle.Flow;
        if (set.Apps.Count == 0) sources.Style = YamlDotNet.Core.Events.MappingStyle.Flow;

        var writer = new StringWriter(CultureInfo.InvariantCulture);
        new YamlStream(new YamlDocument(new YamlMappingNode { { Block, block } })).Save(writer, assignAnchors: false);
        var extra = writer.ToString().TrimEnd().TrimEnd('.').TrimEnd();
        return EcosystemWriter.ToYaml(set.Apps, jobEnabled)
            + "# Where each app came from (empty: started on the command line) and how its files were loaded.\n"
            + extra + "\n";
    }

    private static bool Loads(byte[] content, string path, LoadOptions options)
    {
        try
        {
            EcosystemLoader.Parse(System.Text.Encoding.UTF8.GetString(content), path, options, int.MaxValue);
            return true;
        }
        catch (SupException)
        {
            return false;
        }
    }

    private static string BackupHint(string path) =>
        File.Exists(BackupOf(path))
            ? $" The previous save is kept in {BackupOf(path)}: copy it over {Path.GetFileName(path)} to use it."
            : "";

    private static YamlMappingNode? BlockOf(string text)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        return stream.Documents.FirstOrDefault()?.RootNode is YamlMappingNode root
            && root.Children.TryGetValue(new YamlScalarNode(Block), out var node)
                ? node as YamlMappingNode
                : null;
    }

    /// <summary>The x-sup block; anything missing or malformed there (a hand edit) reads as unknown.</summary>
    private static (Dictionary<string, string?> Sources, List<LoadedFile> Files) ReadBlock(string text)
    {
        var sources = new Dictionary<string, string?>(StringComparer.Ordinal);
        var files = new List<LoadedFile>();
        var stream = new YamlStream();
        stream.Load(new StringReader(text)); // already parsed once by the loader: valid YAML
        if (stream.Documents.FirstOrDefault()?.RootNode is not YamlMappingNode root
            || !root.Children.TryGetValue(new YamlScalarNode(Block), out var blockNode)
            || blockNode is not YamlMappingNode block)
        {
            return (sources, files);
        }

        if (block.Children.TryGetValue(new YamlScalarNode("sources"), out var s) && s is YamlMappingNode map)
        {
            foreach (var (key, value) in map.Children)
                if (key is YamlScalarNode { Value: { } name } && value is YamlScalarNode { Value: var source })
                    sources[name] = string.IsNullOrEmpty(source) ? null : source;
        }

        if (block.Children.TryGetValue(new YamlScalarNode("files"), out var f) && f is YamlSequenceNode list)
        {
            foreach (var item in list.OfType<YamlMappingNode>())
            {
                if (Scalar(item, "path") is not { Length: > 0 } filePath) continue;
                files.Add(new LoadedFile(filePath, Scalar(item, "env"), Scalar(item, "only"),
                    string.Equals(Scalar(item, "watch"), "true", StringComparison.OrdinalIgnoreCase)));
            }
        }

        return (sources, files);
    }

    private static string? Scalar(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) && value is YamlScalarNode { Value: { } text } ? text : null;
}
