using YamlDotNet.RepresentationModel;

namespace Supervisor.Core.Config;

/// <summary>One key of a mapping, with the nodes to point at when it is wrong.</summary>
internal sealed record MappingEntry(string Key, YamlNode KeyNode, YamlNode Value);

/// <summary>Reads a mapping's keys in order, applying YAML merge keys (<c>&lt;&lt;: *defaults</c>).</summary>
internal static class MappingEntries
{
    private const string MergeKey = "<<";

    /// <summary>Keys written in the mapping win over merged ones; of merged mappings, the first wins.</summary>
    public static Dictionary<string, MappingEntry> Read(YamlMappingNode mapping, ProblemList problems)
    {
        var entries = new Dictionary<string, MappingEntry>(StringComparer.Ordinal);
        var merged = new List<YamlMappingNode>();
        foreach (var (keyNode, value) in mapping.Children)
        {
            if (keyNode is not YamlScalarNode { Value: { } key })
            {
                problems.Error(keyNode, $"Keys must be plain names, not a {NodeValues.Describe(keyNode)}.");
                continue;
            }

            if (key == MergeKey)
            {
                merged.AddRange(MergedMappings(value, problems));
                continue;
            }

            entries[key] = new MappingEntry(key, keyNode, value);
        }

        foreach (var source in merged)
        {
            foreach (var (key, entry) in Read(source, problems))
            {
                entries.TryAdd(key, entry);
            }
        }

        return entries;
    }

    private static IEnumerable<YamlMappingNode> MergedMappings(YamlNode value, ProblemList problems)
    {
        foreach (var node in value is YamlSequenceNode list ? list.Children : [value])
        {
            if (node is YamlMappingNode mapping)
            {
                yield return mapping;
            }
            else
            {
                problems.Error(node, "A merge key (<<) takes a mapping or a list of mappings, such as <<: *defaults.");
            }
        }
    }

    /// <summary>Reports keys that are not in <paramref name="known"/>, suggesting the closest known one.</summary>
    public static void RejectUnknown(
        IEnumerable<MappingEntry> entries, IReadOnlyCollection<string> known, string where, ProblemList problems)
    {
        foreach (var entry in entries.Where(e => !known.Contains(e.Key)))
        {
            problems.Error(entry.KeyNode, UnknownKeyMessage(entry.Key, where, known));
        }
    }

    public static string UnknownKeyMessage(string key, string where, IEnumerable<string> known)
    {
        var suggestion = KeySuggester.Suggest(key, known);
        return suggestion is null
            ? $"Unknown key '{key}' {where}."
            : $"Unknown key '{key}' {where}; did you mean '{suggestion}'?";
    }
}
