using System.Text.Json;

namespace Supervisor.Core.Rpc;

/// <summary>
/// An error response received from the peer that is not an application error (those arrive
/// as <see cref="SupException"/>): a protocol error or a failure inside the daemon.
/// </summary>
public sealed class RpcException(int code, string message, JsonElement? data = null) : Exception(message)
{
    /// <summary>The JSON-RPC error code (see <see cref="RpcErrorCodes"/>).</summary>
    public int Code { get; } = code;

    /// <summary>The error's <c>data</c> member, if it had one (named so as not to hide <see cref="Exception.Data"/>).</summary>
    public JsonElement? ErrorData { get; } = data;
}
