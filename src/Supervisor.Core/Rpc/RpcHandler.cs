using System.Text.Json.Nodes;

namespace Supervisor.Core.Rpc;

/// <summary>
/// Serves one method. The returned node is the response's <c>result</c> (null answers
/// <c>"result": null</c>; for a notification it is discarded). The token is cancelled by the
/// peer's <c>$/cancelRequest</c> or when the connection closes.
/// </summary>
public delegate ValueTask<JsonNode?> RpcHandler(RpcRequestContext context, CancellationToken cancellationToken);
