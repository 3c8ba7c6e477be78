using System.Text.Json.Serialization;

namespace Supervisor.Core.Protocol;

/// <summary>
/// Source-generated (no reflection at run time, so the CLI starts fast) and snake_case,
/// like the rest of the wire format.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    WriteIndented = false)]
[JsonSerializable(typeof(AppInfo))]
[JsonSerializable(typeof(AppInfo[]))]
[JsonSerializable(typeof(StartPlan))]
[JsonSerializable(typeof(AppDetail))]
[JsonSerializable(typeof(MonitUpdate))]
[JsonSerializable(typeof(EventInfo))]
[JsonSerializable(typeof(HealthReport))]
[JsonSerializable(typeof(JobRunInfo[]))]
[JsonSerializable(typeof(JobRow[]))]
[JsonSerializable(typeof(LogPathsInfo[]))]
[JsonSerializable(typeof(string[]))]
[JsonSerializable(typeof(SaveResult))]
[JsonSerializable(typeof(ResurrectResult))]
[JsonSerializable(typeof(Dictionary<string, string>))]
[JsonSerializable(typeof(PingResult))]
[JsonSerializable(typeof(VersionResult))]
[JsonSerializable(typeof(KillResult))]
[JsonSerializable(typeof(ReplaceResult))]
[JsonSerializable(typeof(MaxKillTimeoutResult))]
[JsonSerializable(typeof(PauseResult))]
[JsonSerializable(typeof(Rpc.SupErrorData))]
[JsonSerializable(typeof(Rpc.InternalErrorData))]
// Parameters, and what StreamJsonRpc itself reads and writes through these options.
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(bool))]
[JsonSerializable(typeof(int))]
[JsonSerializable(typeof(long))]
[JsonSerializable(typeof(int?))]
[JsonSerializable(typeof(object))]
[JsonSerializable(typeof(System.Text.Json.JsonElement))]
[JsonSerializable(typeof(StreamJsonRpc.Protocol.CommonErrorData))]
// $/cancelRequest {"id": ...}: StreamJsonRpc reads it with its own converter, found through this entry.
[JsonSerializable(typeof(StreamJsonRpc.RequestId))]
public sealed partial class ProtocolJson : JsonSerializerContext;
