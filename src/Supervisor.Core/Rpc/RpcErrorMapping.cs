using System.Text.Json;
using System.Text.Json.Nodes;

namespace Supervisor.Core.Rpc;

/// <summary>
/// Turns a handler's exception into an error response, and a received error response back
/// into the exception the caller should see. <see cref="SupException"/> makes the round
/// trip intact, so the CLI renders the daemon's message and details as if thrown locally.
/// </summary>
internal static class RpcErrorMapping
{
    public static RpcError FromException(Exception exception, string method, bool cancelledByPeer) => exception switch
    {
        SupException sup => new RpcError((int)sup.Error, sup.Message, new JsonObject
        {
            ["type"] = nameof(SupException),
            ["error"] = sup.Error.ToString(),
            ["details"] = new JsonArray([.. sup.Details.Select(detail => (JsonNode?)detail)]),
        }),
        RpcInvalidParamsException invalid => new RpcError(RpcErrorCodes.InvalidParams, invalid.Message),
        OperationCanceledException when cancelledByPeer =>
            new RpcError(RpcErrorCodes.RequestCancelled, "The request was cancelled."),
        RpcException rpc => new RpcError(rpc.Code, rpc.Message, rpc.ErrorData is { } data ? JsonNode.Parse(data.GetRawText()) : null),
        _ => new RpcError(RpcErrorCodes.InternalError, $"The method '{method}' failed: {exception.Message}", new JsonObject
        {
            ["type"] = exception.GetType().FullName,
            ["message"] = exception.Message,
        }),
    };

    /// <summary>The exception for an <c>error</c> object received in a response to <paramref name="method"/>.</summary>
    public static Exception ToException(JsonElement error, string method)
    {
        int code = error.TryGetProperty("code"u8, out JsonElement c) && c.TryGetInt32(out int parsed)
            ? parsed
            : RpcErrorCodes.InternalError;
        string message = error.TryGetProperty("message"u8, out JsonElement m) && m.ValueKind == JsonValueKind.String
            ? m.GetString()!
            : $"The call to '{method}' failed with error {code}.";
        JsonElement? data = error.TryGetProperty("data"u8, out JsonElement d) && d.ValueKind != JsonValueKind.Null
            ? d.Clone()
            : null;

        if (RpcErrorCodes.IsAppCode(code))
        {
            return new SupException((SupError)code, message) { Details = ReadDetails(data) };
        }

        return new RpcException(code, message, data);
    }

    private static string[] ReadDetails(JsonElement? data)
    {
        if (data is not { ValueKind: JsonValueKind.Object } obj
            || !obj.TryGetProperty("details"u8, out JsonElement details)
            || details.ValueKind != JsonValueKind.Array)
        {
            return [];
        }

        return [.. details.EnumerateArray().Where(d => d.ValueKind == JsonValueKind.String).Select(d => d.GetString()!)];
    }
}
