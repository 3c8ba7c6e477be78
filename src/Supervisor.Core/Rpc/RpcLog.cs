using Microsoft.Extensions.Logging;

namespace Supervisor.Core.Rpc;

/// <summary>The RPC layer's log messages (source-generated: no formatting cost when a level is off).</summary>
internal static partial class RpcLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Dropping an RPC connection after a bad frame: {Reason}")]
    public static partial void BadFrame(this ILogger logger, string reason);


    [LoggerMessage(Level = LogLevel.Debug, Message = "An RPC message was not a valid request: {Reason}")]
    public static partial void InvalidRequest(this ILogger logger, string reason);


    [LoggerMessage(Level = LogLevel.Error, Message = "RPC method '{Method}' failed.")]
    public static partial void HandlerFailed(this ILogger logger, Exception exception, string method);

    [LoggerMessage(Level = LogLevel.Debug, Message = "RPC method '{Method}' answered with error {Code}: {Reason}")]
    public static partial void HandlerRefused(this ILogger logger, string method, int code, string reason);





    [LoggerMessage(Level = LogLevel.Debug, Message = "An RPC connection failed: {Reason}")]
    public static partial void ConnectionFailed(this ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused an RPC client on {SocketPath}: {Reason}")]
    public static partial void ClientRefused(this ILogger logger, string socketPath, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Accepting an RPC client on {SocketPath} failed; retrying.")]
    public static partial void AcceptFailed(this ILogger logger, Exception exception, string socketPath);

    [LoggerMessage(Level = LogLevel.Information, Message = "Listening for RPC clients on {SocketPath}.")]
    public static partial void Listening(this ILogger logger, string socketPath);
}
