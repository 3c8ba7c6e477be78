using Supervisor.Core.Config;
using YamlDotNet.RepresentationModel;

namespace Supervisor.Core.Daemon;

/// <summary>
/// Which sup wrote a dump.yaml, so a key whose meaning changed keeps the meaning it was saved
/// with. Format 1 (no <c>format</c> in the x-sup block): merge_logs sent stderr into out_file.
/// Format 2: merge_logs is PM2's (instances share their log files); "stderr into out_file" is an
/// error_file naming the out_file, which is what a format-1 dump's merge_logs becomes.
/// </summary>
internal static class DumpFormat
{
    public const int Current = 2;

    public static int Of(YamlMappingNode? block) =>
        block is not null
        && block.Children.TryGetValue(new YamlScalarNode("format"), out var node)
        && node is YamlScalarNode { Value: { } text }
        && int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var format)
            ? format
            : 1;

    /// <param name="supHome">Where the dump's default log files are (its own folder).</param>
    public static AppSpec Migrate(AppSpec app, int format, string supHome) =>
        format < 2 && app.MergeLogs
            ? app with { MergeLogs = false, ErrorFile = Logs.LogPaths.OutOf(supHome, app) }
            : app;
}
