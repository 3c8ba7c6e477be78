namespace Supervisor.Core.Rpc;

/// <summary>What one connection may use (docs/rpc.md, "Limits").</summary>
public sealed record RpcLimits
{
    public static RpcLimits Default { get; } = new();

    /// <summary>The largest frame body accepted; a larger one is refused and the connection closed.</summary>
    public int MaxFrameBytes { get; init; } = 16 * 1024 * 1024;

    /// <summary>The header block must end (blank line) within this many bytes.</summary>
    public int MaxHeaderBytes { get; init; } = 8 * 1024;

    /// <summary>
    /// Requests read and not yet answered, per connection. Beyond it the server reads nothing
    /// more from that connection until a reply is written: the client's writes block.
    /// </summary>
    public int MaxRequestsInFlight { get; init; } = 64;

    /// <summary>After end of input, how long requests still running may take to answer.</summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(5);
}
