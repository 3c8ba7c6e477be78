using System.Text.Json;
using StreamJsonRpc;
using StreamJsonRpc.Protocol;

namespace Supervisor.Core.Rpc;

/// <summary>
/// Turns a method's exception into the error of its response, and a received error back into
/// the exception the caller should see. <see cref="SupException"/> makes the round trip intact,
/// so the CLI renders the daemon's message and details as if thrown locally.
/// </summary>
internal static class RpcErrorMapping
{
    /// <param name="unexpected">A bug rather than a refusal: log it with its stack.</param>
    public static JsonRpcError.ErrorDetail FromException(Exception exception, string method, out bool unexpected)
    {
        unexpected = false;
        switch (exception)
        {
            case SupException sup:
                return new() { Code = (JsonRpcErrorCode)(int)sup.Error, Message = sup.Message, Data = new SupErrorData(nameof(SupException), sup.Error.ToString(), [.. sup.Details]) };
            case RpcInvalidParamsException invalid:
                return new() { Code = JsonRpcErrorCode.InvalidParams, Message = invalid.Message };
            case OperationCanceledException:
                return new() { Code = JsonRpcErrorCode.RequestCanceled, Message = "The request was cancelled." };
            case LocalRpcException local:
                return new() { Code = (JsonRpcErrorCode)local.ErrorCode, Message = local.Message, Data = local.ErrorData };
            default:
                unexpected = true;
                return new()
                {
                    Code = JsonRpcErrorCode.InternalError,
                    Message = $"The method '{method}' failed: {exception.Message}",
                    Data = new InternalErrorData(exception.GetType().FullName ?? exception.GetType().Name, exception.Message),
                };
        }
    }

    /// <summary>The exception for an error response, or for a lost connection.</summary>
    public static Exception ToException(Exception received) => received switch
    {
        RemoteInvocationException invocation => ToException(invocation.ErrorCode, invocation.Message, invocation.DeserializedErrorData as JsonElement?),
        RemoteMethodNotFoundException notFound => new RpcException((int)notFound.ErrorCode, notFound.Message),
        ConnectionLostException => ClosedByDaemon(),
        _ => received,
    };

    public static Exception ToException(int code, string message, JsonElement? data)
    {
        if (data is { ValueKind: JsonValueKind.Null or JsonValueKind.Undefined })
        {
            data = null;
        }

        return RpcErrorCodes.IsAppCode(code)
            ? new SupException((SupError)code, message) { Details = ReadDetails(data) }
            : new RpcException(code, message, data);
    }

    /// <summary>What a caller sees when the daemon hangs up before answering its request.</summary>
    internal static SupException ClosedByDaemon() =>
        new(SupError.DaemonNotRunning, "The sup daemon closed the connection before answering. Its log, daemon.log in SUP_HOME, may say why.");

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

/// <summary>The <c>data</c> of an application error: <c>{"type": "SupException", "error": name, "details": [...]}</c>.</summary>
public sealed record SupErrorData(string Type, string Error, string[] Details);

/// <summary>The <c>data</c> of -32603: the exception's type and message.</summary>
public sealed record InternalErrorData(string Type, string Message);
