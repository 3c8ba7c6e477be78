using Supervisor.Core.Platform;

namespace Supervisor.Core.Supervision.Cluster;

/// <summary>
/// What sup asks of a running cluster primary, by signal to the primary alone (never its group,
/// where the workers would take the signal's default action): SIGHUP replaces the workers one
/// by one (`sup reload`), SIGUSR2 re-reads the scale file (`sup scale`). Each call waits until
/// the primary's status file shows it done.
/// </summary>
public static class ClusterControl
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);

    /// <summary>A rolling reload of a running cluster; false when it was not running (nothing to reload).</summary>
    public static async Task<bool> ReloadAsync(IAppSupervisor app, SupervisorContext context, CancellationToken cancellationToken)
    {
        var path = ClusterFiles.Status(context.SupHome, app.Name);
        if (app.RootPid is not { } primary || ClusterStatus.Read(path, primary) is not { } before) return false;
        if (!context.Control.Signal(primary, Signals.SIGHUP)) return false;
        // Each worker: the new one gets up to listen_timeout to listen, the old one up to twice
        // kill_timeout to finish its requests and go (cluster-primary.js, retire).
        var budget = (ClusterLaunch.ListenTimeout + 2 * app.Spec.KillTimeout) * Math.Max(1, before.Workers.Count) + TimeSpan.FromSeconds(10);
        await UntilAsync(() => ClusterStatus.Read(path, primary) is not { } now || now.Reloads > before.Reloads, budget, context, cancellationToken);
        return true;
    }

    /// <summary>Resizes a running cluster to the scale file's count (the file is written first).</summary>
    public static async Task ResizeAsync(IAppSupervisor app, int workers, SupervisorContext context, CancellationToken cancellationToken)
    {
        var path = ClusterFiles.Status(context.SupHome, app.Name);
        if (app.RootPid is not { } primary || !context.Control.Signal(primary, Signals.SIGUSR2)) return;
        await UntilAsync(() => ClusterStatus.Read(path, primary) is not { } now
                || now.Instances == workers && now.Workers.Count == workers && now.Workers.All(w => w.Pid is not null),
            TimeSpan.FromSeconds(15), context, cancellationToken);
    }

    private static async Task UntilAsync(Func<bool> done, TimeSpan budget, SupervisorContext context, CancellationToken cancellationToken)
    {
        var deadline = context.Time.GetUtcNow() + budget;
        while (!done() && context.Time.GetUtcNow() < deadline)
            await Task.Delay(Poll, context.Time, cancellationToken);
    }
}
