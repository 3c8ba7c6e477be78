using System.Text.Json;
using Supervisor.Core.Protocol;

namespace Supervisor.Cli.Output;

/// <summary>
/// Reads the `list` rows by hand. JsonSerializer, even source-generated, JIT-compiles a few
/// hundred generic methods over nullable value types at first use (ReadyToRun cannot precompile
/// them across assemblies): about a third of `sup ls`'s run time. A round-trip test keeps this
/// reader equal to <see cref="AppInfo"/>'s contract.
/// </summary>
public static class AppInfoReader
{
    public static AppInfo[] ReadArray(JsonElement array) =>
        array.ValueKind == JsonValueKind.Array ? array.EnumerateArray().Select(Read).ToArray() : [];

    public static AppInfo Read(JsonElement e) => new()
    {
        Name = String(e, "name") ?? "",
        Kind = String(e, "kind") ?? "",
        Status = String(e, "status") ?? "",
        Pid = Int32(e, "pid"),
        UptimeMs = Int64(e, "uptime_ms"),
        Restarts = Int32(e, "restarts") ?? 0,
        Cpu = Double(e, "cpu"),
        Memory = Int64(e, "memory"),
        NextRun = String(e, "next_run"),
        Reason = String(e, "reason"),
        WaitingMs = Int64(e, "waiting_ms"),
        LastExitCode = Int32(e, "last_exit_code"),
        FastCrashes = Int32(e, "fast_crashes") ?? 0,
        LastRun = String(e, "last_run"),
        LastResult = String(e, "last_result"),
        Enabled = e.TryGetProperty("enabled", out var enabled) && enabled.ValueKind is JsonValueKind.True or JsonValueKind.False
            ? enabled.GetBoolean() : null,
        LogLinesDropped = Int64(e, "log_lines_dropped") ?? 0,
    };

    private static string? String(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static int? Int32(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var n) ? n : null;

    private static long? Int64(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var n) ? n : null;

    private static double? Double(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetDouble(out var n) ? n : null;
}
