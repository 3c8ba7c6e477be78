namespace Supervisor.Core.Rpc;

/// <summary>What a handler knows about the call it serves.</summary>
public sealed class RpcRequestContext(string method, RpcParams @params, RpcConnection connection, bool isNotification = false)
{
    /// <summary>The method name as the peer sent it (e.g. <c>StartAsync</c> for a handler registered as <c>start</c>).</summary>
    public string Method { get; } = method;

    public RpcParams Params { get; } = @params;

    /// <summary>The connection the call came in on: send notifications back with it, stop streaming when its <see cref="RpcConnection.Closed"/> fires.</summary>
    public RpcConnection Connection { get; } = connection;

    /// <summary>True when the peer sent no id and expects no response.</summary>
    public bool IsNotification { get; } = isNotification;
}
