using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;

namespace Supervisor.Core.Rpc;

/// <summary>
/// The method table. A method registered as <c>start</c> also answers <c>Start</c> and
/// <c>StartAsync</c> (what StreamJsonRpc clients send); a dotted name such as
/// <c>logs.follow</c> matches exactly and case-insensitively.
/// </summary>
public sealed class RpcDispatcher
{
    private const string AsyncSuffix = "Async";

    // Names differing only in case cannot both be registered, so one case-insensitive table
    // gives "exact, then case-insensitive" matching.
    private readonly ConcurrentDictionary<string, RpcHandler> _handlers = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Adds a method. Names differing only in case, or starting with <c>rpc.</c> or <c>$/</c> (reserved), are refused.</summary>
    public void Register(string method, RpcHandler handler)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(method);
        ArgumentNullException.ThrowIfNull(handler);
        if (method.StartsWith("rpc.", StringComparison.OrdinalIgnoreCase) || method.StartsWith("$/", StringComparison.Ordinal))
        {
            throw new ArgumentException($"The method name '{method}' is reserved by JSON-RPC.", nameof(method));
        }

        if (!_handlers.TryAdd(method, handler))
        {
            throw new ArgumentException($"A method named '{method}' (ignoring case) is already registered.", nameof(method));
        }
    }

    /// <summary>Finds the handler for a method name as a peer sent it.</summary>
    internal bool TryResolve(string method, [NotNullWhen(true)] out RpcHandler? handler)
    {
        if (_handlers.TryGetValue(method, out handler))
        {
            return true;
        }

        if (method.Length > AsyncSuffix.Length && method.EndsWith(AsyncSuffix, StringComparison.Ordinal))
        {
            return _handlers.TryGetValue(method[..^AsyncSuffix.Length], out handler);
        }

        return false;
    }
}
