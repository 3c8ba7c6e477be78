using YamlDotNet.RepresentationModel;

namespace Supervisor.Core.Config;

internal static partial class EcosystemReader
{
    /// <summary>
    /// The file's own `notify:` (top level) is every app's list unless the app has a `notify:` of
    /// its own, which replaces it (`notify: []` silences one app).
    /// </summary>
    private static List<AppEntry> WithFileNotify(YamlNode root, List<AppEntry> entries, ProblemList problems)
    {
        if (root is not YamlMappingNode mapping) return entries;
        var top = MappingEntries.Read(mapping, new ProblemList(problems.File)); // already reported by ReadTopLevel
        if (!top.TryGetValue("notify", out var entry) || NodeValues.IsNull(entry.Value)) return entries;
        var targets = NotifyReader.Read("notify", entry.Value, new NodeValues(problems));
        if (targets is null || targets.Count == 0) return entries;
        return [.. entries.Select(e => e with
        {
            Specs = [.. e.Specs.Select(s => s.ExplicitKeys.Contains("notify") ? s : s with { Notify = targets })],
        })];
    }
}
