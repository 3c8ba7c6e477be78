using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Supervisor.Core.Config;

/// <summary>One plugin: a file with top-level <c>commands:</c>, named by <c>plugin:</c> or its folder.</summary>
/// <param name="Folder">The plugin file's folder: its commands run there.</param>
/// <param name="Commands">Command name to the command line as written.</param>
internal sealed record Plugin(string Name, string Folder, string File, IReadOnlyDictionary<string, string> Commands);

/// <summary>
/// The plugins of one load (the file given to `sup start` and everything it includes), read
/// before any app so that an app in one file may run a command of a plugin in another
/// (<c>run: twitter:server</c>, <c>steps: [twitter:get]</c>, <c>group: [twitter, instagram]</c>).
/// </summary>
internal sealed partial class PluginCatalog
{
    private readonly Dictionary<string, Plugin> _byName = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Plugin> _byFile = new(StringComparer.Ordinal);

    public static readonly PluginCatalog Empty = new();

    public IReadOnlyCollection<string> Names => _byName.Keys;

    /// <summary>`twitter:get`: a plugin name, a colon, a command name (no spaces, so never a shell line with a URL).</summary>
    [GeneratedRegex(@"^(?<plugin>[A-Za-z0-9._-]+):(?<command>[A-Za-z0-9._-]+)$", RegexOptions.CultureInvariant)]
    public static partial Regex Reference();

    public Plugin? Find(string name) => _byName.GetValueOrDefault(name);

    /// <summary>The plugin declared in <paramref name="file"/>, if it declares one.</summary>
    public Plugin? OfFile(string file) => _byFile.GetValueOrDefault(file);

    public static PluginCatalog Read(IReadOnlyList<ConfigFile> files, ProblemList problems)
    {
        var catalog = new PluginCatalog();
        var values = new NodeValues(problems);
        foreach (var file in files)
        {
            if (file.Root is not YamlMappingNode mapping) continue;
            // Keys were reported (unknown, merge keys) by the top-level reader; read quietly here.
            var top = MappingEntries.Read(mapping, new ProblemList(problems.File));
            top.TryGetValue("commands", out var commandsEntry);
            top.TryGetValue("plugin", out var nameEntry);
            if (commandsEntry is null || NodeValues.IsNull(commandsEntry.Value))
            {
                if (nameEntry is not null)
                    problems.Error(nameEntry.KeyNode, "plugin: names the commands of this file; add commands: (for example commands: { server: ./server.sh }).");
                continue;
            }

            var name = nameEntry is null || NodeValues.IsNull(nameEntry.Value)
                ? Path.GetFileName(file.Folder)
                : values.String("plugin", nameEntry.Value)?.Trim();
            if (name is null) continue;
            if (AppNames.Problem(name) is { } bad)
            {
                problems.Error(nameEntry?.Value ?? commandsEntry.KeyNode, nameEntry is null
                    ? $"commands: this plugin is named after its folder '{name}', which is not a valid name ({bad}); give plugin: NAME."
                    : $"plugin: {bad}");
                continue;
            }

            if (catalog._byName.TryGetValue(name, out var first))
            {
                problems.Error(nameEntry?.Value ?? commandsEntry.KeyNode, $"plugin: '{name}' is already declared by {first.File}; plugin names must be unique.");
                continue;
            }

            if (ReadCommands(commandsEntry.Value, values) is not { } commands) continue;
            var plugin = new Plugin(name, file.Folder, file.Path, commands);
            catalog._byName[name] = plugin;
            catalog._byFile[file.Path] = plugin;
        }

        return catalog;
    }

    private static Dictionary<string, string>? ReadCommands(YamlNode node, NodeValues values)
    {
        if (values.Mapping("commands", node) is not { } mapping) return null;
        var commands = new Dictionary<string, string>(StringComparer.Ordinal);
        var ok = true;
        foreach (var entry in MappingEntries.Read(mapping, values.Problems).Values)
        {
            if (AppNames.Problem(entry.Key) is { } bad)
            {
                values.Problems.Error(entry.KeyNode, $"commands: '{entry.Key}' is not a valid command name ({bad}).");
                ok = false;
                continue;
            }

            var line = values.String($"commands.{entry.Key}", entry.Value)?.Trim();
            if (string.IsNullOrEmpty(line))
            {
                if (line is not null) values.Problems.Error(entry.Value, $"commands.{entry.Key}: give the command line to run.");
                ok = false;
                continue;
            }

            commands[entry.Key] = line;
        }

        return ok ? commands : null;
    }

    /// <summary>
    /// A step that runs a plugin's command: in a subshell in the plugin's folder, so the steps of
    /// one job may come from several plugins and a cd never leaks into the next step.
    /// </summary>
    public static string Step(Plugin plugin, string command) =>
        $"(cd '{plugin.Folder.Replace("'", "'\\''", StringComparison.Ordinal)}' && {plugin.Commands[command]})";
}
