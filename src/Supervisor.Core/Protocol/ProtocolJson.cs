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
[JsonSerializable(typeof(JobRunInfo[]))]
[JsonSerializable(typeof(JobRow[]))]
[JsonSerializable(typeof(LogPathsInfo[]))]
[JsonSerializable(typeof(string[]))]
[JsonSerializable(typeof(SaveResult))]
[JsonSerializable(typeof(ResurrectResult))]
[JsonSerializable(typeof(Dictionary<string, string>))]
public sealed partial class ProtocolJson : JsonSerializerContext;
