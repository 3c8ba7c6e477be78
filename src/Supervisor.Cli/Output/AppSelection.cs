using System.IO.Enumeration;
using Supervisor.Core.Protocol;

namespace Supervisor.Cli.Output;

/// <summary>`sup ls PATTERN --sort KEY`: which apps, in which order.</summary>
public static class AppSelection
{
    public static readonly string[] SortKeys = ["name", "cpu", "memory", "uptime", "restarts"];

    /// <summary>
    /// Apps whose name matches the glob (<c>*</c> any run of characters, <c>?</c> one; no pattern:
    /// all), sorted by name ascending or by the measure largest first; otherwise in the daemon's order.
    /// </summary>
    public static AppInfo[] Apply(IEnumerable<AppInfo> apps, string? pattern, string? sortKey)
    {
        var selected = string.IsNullOrEmpty(pattern)
            ? apps
            : apps.Where(a => FileSystemName.MatchesSimpleExpression(pattern, a.Name, ignoreCase: false));
        return (sortKey switch
        {
            null => selected,
            "name" => selected.OrderBy(a => a.Name, StringComparer.Ordinal),
            "cpu" => selected.OrderByDescending(a => a.Cpu ?? -1).ThenBy(a => a.Name, StringComparer.Ordinal),
            "memory" => selected.OrderByDescending(a => a.Memory ?? -1).ThenBy(a => a.Name, StringComparer.Ordinal),
            "uptime" => selected.OrderByDescending(a => a.UptimeMs ?? -1).ThenBy(a => a.Name, StringComparer.Ordinal),
            "restarts" => selected.OrderByDescending(a => a.Restarts).ThenBy(a => a.Name, StringComparer.Ordinal),
            _ => throw new Core.SupException(Core.SupError.BadArgument,
                $"Cannot sort by '{sortKey}'; use one of {string.Join(", ", SortKeys)}."),
        }).ToArray();
    }
}
