using System.Text.Json;
using System.Text.Json.Nodes;
using Supervisor.Core.Daemon;

namespace Supervisor.Cli;

/// <summary>One request to the daemon from a CLI verb; starts the daemon when the verb needs it.</summary>
public static class DaemonCall
{
    public static async Task<JsonElement> InvokeAsync(string method, JsonObject? parameters, CancellationToken cancellationToken, bool startIfNeeded = true)
    {
        var paths = SupPaths.FromEnvironment();
        await using var connection = startIfNeeded
            ? await DaemonLauncher.ConnectOrStartAsync(paths, cancellationToken)
            : await DaemonLauncher.ConnectAsync(paths, cancellationToken);
        return await connection.InvokeAsync(method, parameters, cancellationToken);
    }
}
