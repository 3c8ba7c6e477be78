using System.Text.Json;
using System.Text.Json.Nodes;
using Supervisor.Core.Daemon;
using Supervisor.Core.Rpc;

namespace Supervisor.Cli;

/// <summary>One request to the daemon from a CLI verb; starts the daemon when the verb needs it.</summary>
public static class DaemonCall
{
    public static async Task<JsonElement> InvokeAsync(string method, JsonObject? parameters, CancellationToken cancellationToken, bool startIfNeeded = true)
    {
        var paths = SupPaths.FromEnvironment();
        if (!OperatingSystem.IsWindows() && BlockingRpcConnection.IsSupported)
        {
            // One request, one answer: blocking calls cost this short-lived process far less
            // start-up than the async connection (BlockingRpcConnection).
            using var blocking = startIfNeeded
                ? await DaemonLauncher.ConnectOrStartBlockingAsync(paths, cancellationToken)
                : BlockingRpcConnection.Connect(DaemonLauncher.SocketPath(paths));
            return blocking.Invoke(method, parameters, cancellationToken);
        }

        await using var connection = startIfNeeded
            ? await DaemonLauncher.ConnectOrStartAsync(paths, cancellationToken)
            : await DaemonLauncher.ConnectAsync(paths, cancellationToken);
        return await connection.InvokeAsync(method, parameters, cancellationToken);
    }
}
