namespace Supervisor.Core.Rpc;

/// <summary>
/// The bytes on the wire are not a frame (bad or missing header, a frame over the size cap,
/// EOF inside a frame). The stream cannot be resynchronised after this: drop the connection.
/// </summary>
public sealed class RpcFrameException(string message) : Exception(message);
