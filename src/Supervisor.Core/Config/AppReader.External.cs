using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Supervisor.Core.Config;

internal sealed partial class AppReader
{
    /// <summary>
    /// <c>detect_external: "PATTERN"</c>, or <c>{ pattern: ..., port: N }</c> (either or both):
    /// a service whose copy may already run outside sup (started by hand).
    /// </summary>
    private ExternalSpec? ReadDetectExternal()
    {
        if (!TryGet("detect_external", out var node))
        {
            return null;
        }

        if (node is YamlScalarNode)
        {
            var pattern = ReadExternalPattern("detect_external", node);
            return pattern is null ? null : new ExternalSpec(pattern, null);
        }

        if (_values.Mapping("detect_external", node) is not { } mapping)
        {
            return null;
        }

        var entries = MappingEntries.Read(mapping, Problems);
        MappingEntries.RejectUnknown(entries.Values, EcosystemKeys.DetectExternal, "in detect_external", Problems);
        var hasPattern = entries.TryGetValue("pattern", out var p) && !NodeValues.IsNull(p.Value);
        var hasPort = entries.TryGetValue("port", out var n) && !NodeValues.IsNull(n.Value);
        if (!hasPattern && !hasPort)
        {
            Problems.Error(node, "detect_external needs pattern: (matched against command lines) or port: (a TCP port the external copy listens on).");
            return null;
        }

        var text = hasPattern ? ReadExternalPattern("detect_external.pattern", p!.Value) : null;
        var port = hasPort ? _values.Int("detect_external.port", n!.Value, min: 1, max: 65535) : null;
        return (hasPattern && text is null) || (hasPort && port is null) ? null : new ExternalSpec(text, port);
    }

    private string? ReadExternalPattern(string key, YamlNode node)
    {
        var text = _values.String(key, node); // empty is refused there: it would match every process
        if (text is null)
        {
            return null;
        }

        try
        {
            _ = new Regex(text, RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100));
            return text;
        }
        catch (ArgumentException e)
        {
            Problems.Error(node, $"{key}: '{text}' is not a regular expression: {e.Message}");
            return null;
        }
    }
}
