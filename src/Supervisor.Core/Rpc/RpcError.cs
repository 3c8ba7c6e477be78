using System.Text.Json.Nodes;

namespace Supervisor.Core.Rpc;

/// <summary>The <c>error</c> member of a response about to be sent.</summary>
internal sealed record RpcError(int Code, string Message, JsonNode? Data = null);
