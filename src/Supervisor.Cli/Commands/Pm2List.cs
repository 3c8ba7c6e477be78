using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Supervisor.Core.Protocol;

namespace Supervisor.Cli.Commands;

/// <summary>
/// `sup jlist` / `sup prettylist`: `sup ls --json` in the shape of PM2's `jlist`, for scripts
/// written against PM2 (`.[].pm2_env.status`, `.[].pm_id`, `.[].monit.memory`). Only the fields
/// sup knows are there; `sup` holds the app's documented `list` object (docs/rpc.md) as is.
/// </summary>
internal static class Pm2List
{
    public static Pm2Process[] Of(IEnumerable<AppInfo> apps, DateTimeOffset now) => [.. apps.Select(a => new Pm2Process
    {
        Name = a.Name,
        PmId = a.Id,
        Pid = a.Pid ?? 0,
        Monit = new Pm2Monit { Memory = a.Memory ?? 0, Cpu = a.Cpu ?? 0 },
        Pm2Env = new Pm2Env
        {
            Name = a.Name,
            PmId = a.Id,
            Status = Status(a.Status),
            PmUptime = a.UptimeMs is long up ? now.ToUnixTimeMilliseconds() - up : null,
            RestartTime = a.Restarts,
            UnstableRestarts = a.FastCrashes,
            ExecMode = a.ExecMode == "cluster" ? "cluster_mode" : "fork_mode",
        },
        Sup = a,
    })];

    /// <summary>PM2's status words where sup's differ: starting is PM2's launching, waiting its "waiting restart".</summary>
    private static string Status(string status) => status switch
    {
        "starting" => "launching",
        "waiting" => "waiting restart",
        _ => status,
    };

    public static string Serialize(Pm2Process[] list, bool pretty) =>
        JsonSerializer.Serialize(list, (pretty ? Pm2ListJson.Pretty : Pm2ListJson.Compact).Pm2ProcessArray);
}

internal sealed record Pm2Process
{
    [JsonPropertyName("pid")] public int Pid { get; init; }
    [JsonPropertyName("name")] public required string Name { get; init; }
    [JsonPropertyName("pm_id")] public int? PmId { get; init; }
    [JsonPropertyName("monit")] public required Pm2Monit Monit { get; init; }
    [JsonPropertyName("pm2_env")] public required Pm2Env Pm2Env { get; init; }
    [JsonPropertyName("sup")] public required AppInfo Sup { get; init; }
}

internal sealed record Pm2Monit
{
    [JsonPropertyName("memory")] public long Memory { get; init; }
    [JsonPropertyName("cpu")] public double Cpu { get; init; }
}

internal sealed record Pm2Env
{
    [JsonPropertyName("name")] public required string Name { get; init; }
    [JsonPropertyName("pm_id")] public int? PmId { get; init; }
    [JsonPropertyName("status")] public required string Status { get; init; }
    /// <summary>When the current process started, Unix milliseconds (PM2's pm_uptime is a start time, not a duration).</summary>
    [JsonPropertyName("pm_uptime")] public long? PmUptime { get; init; }
    [JsonPropertyName("restart_time")] public int RestartTime { get; init; }
    [JsonPropertyName("unstable_restarts")] public int UnstableRestarts { get; init; }
    [JsonPropertyName("exec_mode")] public required string ExecMode { get; init; }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(Pm2Process[]))]
internal sealed partial class Pm2ListJson : JsonSerializerContext
{
    public static Pm2ListJson Compact { get; } = new(OptionsFor(indented: false));
    public static Pm2ListJson Pretty { get; } = new(OptionsFor(indented: true));

    // As the attribute says, plus text as written ('héllo', not 'h\u00E9llo'), as `--json` does.
    private static JsonSerializerOptions OptionsFor(bool indented) => new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        WriteIndented = indented,
    };
}
