using PolyType;
using StreamJsonRpc;

namespace Supervisor.Core.Protocol;

/// <summary>What the daemon sends to a client while a streaming request runs: server-to-client notifications.</summary>
[JsonRpcContract, GenerateShape(IncludeMethods = MethodShapeFlags.PublicInstance)]
public partial interface ISupDaemonClient
{
    /// <summary>`monit.update`, params <c>{"at": ..., "apps": [...]}</c> (a <see cref="Protocol.MonitUpdate"/>).</summary>
    [JsonRpcMethod("monit.update", UseSingleObjectParameterDeserialization = true)]
    void MonitUpdate(MonitUpdate update);

    /// <summary>`events.event`, params an <see cref="EventInfo"/> object.</summary>
    [JsonRpcMethod("events.event", UseSingleObjectParameterDeserialization = true)]
    void Event(EventInfo e);
}
