using YamlDotNet.RepresentationModel;

namespace Supervisor.Core.Config;

internal sealed partial class AppReader
{
    private LogRotation? ReadLogRotate(string key, YamlNode node)
    {
        var text = _values.Text(key, node);
        if (text is null) return null;
        if (LogRotations.TryParse(text, out var rotation)) return rotation;
        Problems.Error(node, $"{key}: '{text}' is not a rotation; use daily, hourly or size (size alone is the default, by log_max_size).");
        return null;
    }
}
