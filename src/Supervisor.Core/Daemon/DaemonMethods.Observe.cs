using System.Globalization;
using StreamJsonRpc;
using Supervisor.Core.Protocol;

namespace Supervisor.Core.Daemon;

public sealed partial class DaemonMethods
{
    /// <summary>How often `monit.subscribe` pushes the app list (cpu and memory change every sample anyway).</summary>
    internal static readonly TimeSpan MonitEvery = TimeSpan.FromSeconds(1);

    private static readonly Dictionary<string, Type> MonitUpdateTypes = new() { ["at"] = typeof(string), ["apps"] = typeof(AppInfo[]) };

    /// <summary>
    /// Pushes `monit.update` notifications ({at, apps}) on the caller's connection, one at once and
    /// then every second, until the client cancels (then -32800) or disconnects. The daemon does
    /// the pacing, so a dashboard never re-fetches in a loop of its own.
    /// </summary>
    public async Task MonitSubscribeAsync(CancellationToken cancellationToken)
    {
        var connection = peer ?? throw new SupException(SupError.NotSupported, "monit.subscribe needs a connection to stream on.");
        using var timer = new PeriodicTimer(MonitEvery, context.Time);
        do
        {
            var now = context.Time.GetUtcNow();
            // Named params, a MonitUpdate: {"at": ..., "apps": [...]}. (A dictionary with declared
            // types, not an object to reflect over: Native AOT.)
            var update = new Dictionary<string, object?>
            {
                ["at"] = now.ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture),
                ["apps"] = List(registry.All),
            };
            await connection.NotifyWithParameterObjectAsync("monit.update", update, MonitUpdateTypes);
        }
        while (await timer.WaitForNextTickAsync(cancellationToken));
    }
}
