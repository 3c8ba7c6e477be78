using System.Text.Json;
using Supervisor.Core.Protocol;

namespace Supervisor.Cli.Commands;

/// <summary>Decoding daemon replies with the source-generated contract (no reflection on the CLI path).</summary>
internal static class Json
{
    public static AppInfo[] Apps(JsonElement e) => Output.AppInfoReader.ReadArray(e);
    public static StartPlan Plan(JsonElement e) => Output.StartPlanReader.Read(e);
    public static AppDetail Detail(JsonElement e) => e.Deserialize(ProtocolJson.Default.AppDetail)!;
    public static string[] Names(JsonElement e) => e.Deserialize(ProtocolJson.Default.StringArray) ?? [];
    public static LogPathsInfo[] LogPaths(JsonElement e) => e.Deserialize(ProtocolJson.Default.LogPathsInfoArray) ?? [];
}
