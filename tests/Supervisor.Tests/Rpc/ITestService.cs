using PolyType;
using StreamJsonRpc;

namespace Supervisor.Tests.Rpc;

/// <summary>The methods <see cref="TestRpcServer"/> serves: fast, slow, failing, streaming.</summary>
[JsonRpcContract, GenerateShape(IncludeMethods = MethodShapeFlags.PublicInstance)]
public partial interface ITestService
{
    [JsonRpcMethod("ping")]
    Task<string> PingAsync();

    [JsonRpcMethod("start")]
    Task<string> StartAsync(string name);

    [JsonRpcMethod("add")]
    Task<int> AddAsync(int a, int b);

    [JsonRpcMethod("logs.follow")]
    Task<string> LogsFollowAsync();

    /// <summary>Sent as a notification: records its value.</summary>
    [JsonRpcMethod("record")]
    Task RecordAsync(string value);

    [JsonRpcMethod("slow")]
    Task SlowAsync(CancellationToken cancellationToken);

    [JsonRpcMethod("gate")]
    Task<string> GateAsync(CancellationToken cancellationToken);

    [JsonRpcMethod("release")]
    Task<string> ReleaseAsync();

    /// <summary>Waits until <see cref="TestRpcServer.Hold"/> is released, counting how many wait at once.</summary>
    [JsonRpcMethod("hold")]
    Task<string> HoldAsync(CancellationToken cancellationToken);

    [JsonRpcMethod("fail")]
    Task FailAsync();

    [JsonRpcMethod("crash")]
    Task CrashAsync();

    /// <summary>Sends <paramref name="count"/> `log` notifications, then answers "done".</summary>
    [JsonRpcMethod("tick")]
    Task<string> TickAsync(int count, CancellationToken cancellationToken);

    /// <summary>Runs until its client goes away.</summary>
    [JsonRpcMethod("follow")]
    Task FollowAsync(CancellationToken cancellationToken);
}
