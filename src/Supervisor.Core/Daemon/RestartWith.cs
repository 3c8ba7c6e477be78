using Microsoft.Extensions.Logging;
using Supervisor.Core.Events;
using Supervisor.Core.Supervision;

namespace Supervisor.Core.Daemon;

/// <summary>
/// `restart_with: [db]`: when db crashes, fails its health or ready check, or is restarted for
/// memory, the apps naming it are restarted too, once db is up again (or has given up). Without
/// it dependants keep running, as under docker compose and systemd's Wants=.
/// </summary>
public static class RestartWith
{
    private static readonly EventKind[] Triggers = [EventKind.Crashed, EventKind.Unhealthy, EventKind.MemoryRestart];

    /// <summary>Follows the event stream until cancelled.</summary>
    public static async Task RunAsync(EventBus events, AppRegistry registry, ILogger log, CancellationToken cancellationToken)
    {
        using var subscription = events.Subscribe();
        try
        {
            await foreach (var e in subscription.Reader.ReadAllAsync(cancellationToken))
            {
                if (e.Source != EventSource.Service || e.App is not { } name || !Triggers.Contains(e.Kind)) continue;
                if (registry.Find(name) is not ServiceSupervisor dependency) continue;
                foreach (var app in registry.All)
                {
                    if (app is not ServiceSupervisor dependant || !dependant.Spec.RestartWith.Any(n => Names(name, n))) continue;
                    var reason = $"restart_with: {name} {e.Kind.ToWire()}";
                    log.LogInformation("{App}: restarting because {Reason}", dependant.Name, reason);
                    var after = e.At;
                    _ = dependant.RestartAfterAsync(reason, $"{name} to be up again",
                        ct => dependency.WaitUpAgainAsync(after, ct), CancellationToken.None);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>restart_with: [web] names web and each of its instances web-0, web-1 ...</summary>
    private static bool Names(string app, string written) =>
        app == written
        || (app.Length > written.Length + 1 && app.StartsWith(written + "-", StringComparison.Ordinal)
            && app.AsSpan(written.Length + 1).IndexOfAnyExceptInRange('0', '9') < 0);
}
