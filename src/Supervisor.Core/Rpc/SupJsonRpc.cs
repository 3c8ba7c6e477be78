using System.Diagnostics.CodeAnalysis;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using StreamJsonRpc;
using StreamJsonRpc.Protocol;
using Supervisor.Core.Protocol;

namespace Supervisor.Core.Rpc;

/// <summary>
/// One end of a daemon connection, either side: StreamJsonRpc's <see cref="JsonRpc"/> over
/// <see cref="RpcMessageHandler"/> with the source-generated <see cref="ProtocolJson"/> contract,
/// and sup's errors on the wire (<see cref="RpcErrorMapping"/>) instead of StreamJsonRpc's.
/// </summary>
public sealed class SupJsonRpc : JsonRpc
{
    private readonly ILogger? _logger;

    private SupJsonRpc(RpcMessageHandler handler, ILogger? logger)
        : base(handler)
    {
        Handler = handler;
        _logger = logger;
        // A streaming method (monit) ends when its client goes away.
        CancelLocallyInvokedMethodsWhenConnectionIsClosed = true;
    }

    internal RpcMessageHandler Handler { get; }

    /// <summary>A connection over <paramref name="stream"/>, not listening yet (add targets, then <see cref="JsonRpc.StartListening"/>).</summary>
    public static SupJsonRpc Create(Stream stream, ILogger? logger = null, RpcLimits? limits = null, TimeProvider? time = null) =>
        new(RpcMessageHandler.Create(stream, CreateFormatter(), limits, logger, time), logger);

    // The formatter is marked as needing reflection for what sup does not use (marshalable
    // objects, exceptions as data); every type sup sends is in the source-generated context.
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "Every type on the wire is in the source-generated ProtocolJson.")]
    [UnconditionalSuppressMessage("AOT", "IL3050", Justification = "Every type on the wire is in the source-generated ProtocolJson.")]
    private static SystemTextJsonFormatter CreateFormatter() => new()
    {
        JsonSerializerOptions = new JsonSerializerOptions(ProtocolJson.Default.Options) { TypeInfoResolver = ProtocolJson.Default },
    };

    protected override JsonRpcError.ErrorDetail CreateErrorDetails(JsonRpcRequest request, Exception exception)
    {
        var detail = RpcErrorMapping.FromException(exception, request.Method ?? "", out bool unexpected);
        if (unexpected)
        {
            _logger?.HandlerFailed(exception, request.Method ?? "");
        }
        else
        {
            _logger?.HandlerRefused(request.Method ?? "", (int)detail.Code, detail.Message ?? "");
        }

        return detail;
    }

    /// <summary>
    /// StreamJsonRpc's own -32602 (parameters that do not bind) carries its exception records,
    /// stack traces included, as data: the message already says what did not match.
    /// </summary>
    protected override ValueTask SendAsync(JsonRpcMessage message, CancellationToken cancellationToken)
    {
        if (message is JsonRpcError { Error: { Code: JsonRpcErrorCode.InvalidParams, Data: CommonErrorData } detail })
        {
            detail.Data = null;
        }

        return base.SendAsync(message, cancellationToken);
    }

    /// <summary>Error data arrives as a <see cref="JsonElement"/>; <see cref="RpcErrorMapping.ToException"/> reads it.</summary>
    protected override Type? GetErrorDetailsDataType(JsonRpcError error) => typeof(JsonElement);
}
