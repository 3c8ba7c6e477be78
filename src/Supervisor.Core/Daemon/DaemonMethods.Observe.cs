using System.Globalization;
using System.Text.Json.Nodes;
using Supervisor.Core.Protocol;
using Supervisor.Core.Rpc;

namespace Supervisor.Core.Daemon;

public sealed partial class DaemonMethods
{
    /// <summary>How often `monit.subscribe` pushes the app list (cpu and memory change every sample anyway).</summary>
    internal static readonly TimeSpan MonitEvery = TimeSpan.FromSeconds(1);

    private void RegisterObserve(RpcDispatcher rpc)
    {
        rpc.Register("monit.subscribe", MonitSubscribeAsync);
    }

    /// <summary>
    /// Pushes `monit.update` notifications ({at, apps}) on the caller's connection, one at once and
    /// then every second, until the client disconnects or cancels; then answers null. The daemon
    /// does the pacing, so a dashboard never re-fetches in a loop of its own.
    /// </summary>
    private async ValueTask<JsonNode?> MonitSubscribeAsync(RpcRequestContext c, CancellationToken ct)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct, c.Connection.Closed);
        using var timer = new PeriodicTimer(MonitEvery, context.Time);
        try
        {
            do
            {
                var now = context.Time.GetUtcNow();
                var update = new MonitUpdate
                {
                    At = now.ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture),
                    Apps = List(registry.All),
                };
                await c.Connection.NotifyAsync("monit.update", Serialize(update, ProtocolJson.Default.MonitUpdate), stop.Token);
            }
            while (await timer.WaitForNextTickAsync(stop.Token));
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The client went away or cancelled: the stream simply ends.
        }
        ct.ThrowIfCancellationRequested();
        return null;
    }
}
