using System.Text.Json;
using Supervisor.Core.Protocol;

namespace Supervisor.Cli.Output;

/// <summary>
/// Reads a `start`/`reload` reply by hand, for the reason given on <see cref="AppInfoReader"/>:
/// its rows are the same <see cref="AppInfo"/>s, and the serializer's first use would JIT-compile
/// them again for about a third of `sup start`'s time on the CLI side. A round-trip test keeps
/// this reader equal to <see cref="StartPlan"/>'s contract.
/// </summary>
public static class StartPlanReader
{
    public static StartPlan Read(JsonElement e) => e.ValueKind != JsonValueKind.Object ? new StartPlan() : new()
    {
        Started = Strings(e, "started"),
        Restarted = Array(e, "restarted").Select(c => new ChangedApp(
            c.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String ? name.GetString()! : "",
            Strings(c, "changes"))).ToArray(),
        Unchanged = Strings(e, "unchanged"),
        Removed = Strings(e, "removed"),
        RemovedWereDeleted = e.TryGetProperty("removed_were_deleted", out var deleted) && deleted.ValueKind == JsonValueKind.True,
        Warnings = Strings(e, "warnings"),
        Apps = e.TryGetProperty("apps", out var apps) ? AppInfoReader.ReadArray(apps) : [],
    };

    private static IEnumerable<JsonElement> Array(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Array ? v.EnumerateArray() : [];

    private static string[] Strings(JsonElement e, string name) =>
        Array(e, name).Where(v => v.ValueKind == JsonValueKind.String).Select(v => v.GetString()!).ToArray();
}
