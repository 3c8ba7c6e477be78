using System.Text.Json;

namespace Supervisor.Core.Rpc;

internal enum IncomingMessageKind
{
    Request,
    Notification,
    Response,
    Invalid,
}

/// <summary>
/// One received JSON-RPC message, classified. Elements point into the frame's
/// <see cref="JsonDocument"/>; the id is kept as raw JSON so it is echoed exactly as sent.
/// </summary>
internal readonly record struct IncomingMessage(
    IncomingMessageKind Kind,
    string? RawId = null,
    string? Method = null,
    JsonElement? Params = null,
    JsonElement? Result = null,
    JsonElement? Error = null,
    string? Problem = null)
{
    public static IncomingMessage Parse(JsonElement root)
    {
        if (root.ValueKind == JsonValueKind.Array)
        {
            return Invalid(null, "Batch requests are not supported; send one message per frame.");
        }

        if (root.ValueKind != JsonValueKind.Object)
        {
            return Invalid(null, "A JSON-RPC message must be a JSON object.");
        }

        string? rawId = null;
        if (root.TryGetProperty("id"u8, out JsonElement id))
        {
            if (id.ValueKind is not (JsonValueKind.String or JsonValueKind.Number or JsonValueKind.Null))
            {
                return Invalid(null, "The id must be a string or a number.");
            }

            rawId = id.GetRawText();
        }

        if (!root.TryGetProperty("jsonrpc"u8, out JsonElement version)
            || version.ValueKind != JsonValueKind.String
            || !version.ValueEquals("2.0"u8))
        {
            return Invalid(rawId, "The message must have \"jsonrpc\": \"2.0\".");
        }

        if (root.TryGetProperty("method"u8, out JsonElement method))
        {
            if (method.ValueKind != JsonValueKind.String)
            {
                return Invalid(rawId, "The method must be a string.");
            }

            JsonElement? @params = null;
            if (root.TryGetProperty("params"u8, out JsonElement p))
            {
                if (p.ValueKind is not (JsonValueKind.Array or JsonValueKind.Object or JsonValueKind.Null))
                {
                    return Invalid(rawId, "The params must be an array or an object.");
                }

                @params = p;
            }

            return new IncomingMessage(
                rawId is null ? IncomingMessageKind.Notification : IncomingMessageKind.Request,
                RawId: rawId,
                Method: method.GetString(),
                Params: @params);
        }

        if (rawId is not null)
        {
            if (root.TryGetProperty("result"u8, out JsonElement result))
            {
                return new IncomingMessage(IncomingMessageKind.Response, RawId: rawId, Result: result);
            }

            if (root.TryGetProperty("error"u8, out JsonElement error) && error.ValueKind == JsonValueKind.Object)
            {
                return new IncomingMessage(IncomingMessageKind.Response, RawId: rawId, Error: error);
            }
        }

        return Invalid(rawId, "The message is neither a request (method) nor a response (id with result or error).");
    }

    private static IncomingMessage Invalid(string? rawId, string problem) =>
        new(IncomingMessageKind.Invalid, RawId: rawId, Problem: problem);
}
