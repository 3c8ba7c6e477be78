using Supervisor.Core.Daemon;
using Supervisor.Core.Protocol;

namespace Supervisor.Cli;

/// <summary>One request to the daemon from a CLI verb; starts the daemon when the verb needs it.</summary>
public static class DaemonCall
{
    /// <summary>
    /// Connects (starting the daemon unless <paramref name="startIfNeeded"/> is false, when "not
    /// running" fails at once), makes the call, and hangs up. The daemon's errors arrive as
    /// <see cref="Supervisor.Core.SupException"/>, as if thrown here.
    /// </summary>
    public static async Task<T> InvokeAsync<T>(Func<ISupDaemon, Task<T>> call, CancellationToken cancellationToken, bool startIfNeeded = true)
    {
        var paths = SupPaths.FromEnvironment();
        await using var connection = startIfNeeded
            ? await DaemonLauncher.ConnectOrStartAsync(paths, cancellationToken)
            : await DaemonLauncher.ConnectAsync(paths, cancellationToken);
        return await connection.CallAsync(call);
    }
}
