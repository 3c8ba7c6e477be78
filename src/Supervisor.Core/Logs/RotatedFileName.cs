using System.Globalization;

namespace Supervisor.Core.Logs;

/// <summary>
/// The naming scheme of rotated files: <c>NAME-out.log.1</c> is the newest, <c>.2</c> older, and
/// a compressed one carries <c>.gz</c> (<c>NAME-out.log.3.gz</c>).
/// </summary>
internal readonly record struct RotatedFileName(string Path, int Index, bool Compressed)
{
    public static string For(string logPath, int index, bool compressed) =>
        logPath + "." + index.ToString(CultureInfo.InvariantCulture) + (compressed ? ".gz" : "");

    /// <summary>Rotated files of <paramref name="logPath"/> on disk, in no particular order.</summary>
    public static IEnumerable<RotatedFileName> Find(string logPath)
    {
        var folder = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(logPath))!;
        var prefix = System.IO.Path.GetFileName(logPath) + ".";
        if (!Directory.Exists(folder))
        {
            yield break;
        }
        foreach (var file in Directory.EnumerateFiles(folder, prefix + "*"))
        {
            // The pattern "NAME.log.*" also matches "NAME.log" itself (DOS wildcard rules).
            var name = System.IO.Path.GetFileName(file.AsSpan());
            if (name.Length <= prefix.Length || !name.StartsWith(prefix, StringComparison.Ordinal))
            {
                continue;
            }
            var rest = name[prefix.Length..];
            var compressed = rest.EndsWith(".gz", StringComparison.Ordinal);
            if (compressed)
            {
                rest = rest[..^3];
            }
            // Digits only: "1", "12"; never "1.tmp" or "+1".
            if (rest.Length is > 0 and < 10 && !rest.ContainsAnyExcept("0123456789")
                && int.Parse(rest, CultureInfo.InvariantCulture) is > 0 and var index)
            {
                yield return new RotatedFileName(file, index, compressed);
            }
        }
    }
}
