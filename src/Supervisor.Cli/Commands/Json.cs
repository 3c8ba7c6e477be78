using System.Text.Encodings.Web;
using System.Text.Json;
using Supervisor.Core.Protocol;

namespace Supervisor.Cli.Commands;

/// <summary>
/// `--json` output: the daemon's typed replies written back as the documented contract
/// (snake_case, every field), text as written ('héllo <b>', not 'h\u00E9llo \u003Cb\u003E').
/// </summary>
internal static class Json
{
    public static ProtocolJson Contract { get; } = new(new JsonSerializerOptions(ProtocolJson.Default.Options)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });

    public static void Print<T>(T value, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type) =>
        Output.Stdout.Write(JsonSerializer.Serialize(value, type) + "\n");
}
