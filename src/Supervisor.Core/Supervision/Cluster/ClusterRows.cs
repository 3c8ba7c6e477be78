using Supervisor.Core.Protocol;

namespace Supervisor.Core.Supervision.Cluster;

/// <summary>
/// A cluster is one owner (its primary's supervisor) shown as one `sup ls` row per worker,
/// NAME-0 .. NAME-(N-1) as fork-mode instances are named, each with the worker's pid, uptime and
/// restarts (the primary's restarts plus the worker's own replacements).
/// </summary>
public static class ClusterRows
{
    public static IEnumerable<AppInfo> Rows(IAppSupervisor app, AppInfo info, SupervisorContext context, DateTimeOffset now)
    {
        if (app.Spec.ClusterInstances is null)
        {
            yield return info with { ExecMode = "fork" };
            yield break;
        }

        var status = ClusterStatus.Read(ClusterFiles.Status(context.SupHome, app.Name), info.Pid);
        var workers = status?.Workers
            ?? Enumerable.Range(0, ClusterFiles.Workers(context.SupHome, app.Spec)).Select(i => new ClusterWorker { Index = i, Pid = null }).ToList();
        foreach (var worker in workers)
        {
            var running = info.Status == "online" && status is not null && worker.Pid is not null;
            yield return info with
            {
                Name = RowName(app.Name, worker.Index),
                ExecMode = "cluster",
                Status = info.Status != "online" ? info.Status : running ? "online" : status is null ? "starting" : worker.Status,
                Pid = running ? worker.Pid : null,
                UptimeMs = running ? Math.Max(0, now.ToUnixTimeMilliseconds() - worker.StartedAtMs) : null,
                Restarts = info.Restarts + worker.Restarts,
                Cpu = null,
                Memory = running ? context.Control.TryGetInfo(worker.Pid!.Value)?.RssBytes : null,
            };
        }
    }

    public static string RowName(string cluster, int index) => $"{cluster}-{index}";

    /// <summary>The cluster whose worker row is <paramref name="rowName"/> (web-1 → web), or null.</summary>
    public static IAppSupervisor? OwnerOf(IEnumerable<IAppSupervisor> apps, string rowName)
    {
        var dash = rowName.LastIndexOf('-');
        if (dash <= 0 || dash == rowName.Length - 1 || rowName.AsSpan(dash + 1).IndexOfAnyExceptInRange('0', '9') >= 0) return null;
        var cluster = rowName[..dash];
        return apps.FirstOrDefault(a => a.Name == cluster && a.Spec.ClusterInstances is not null);
    }

    /// <summary>Whether <paramref name="name"/> is a worker row of the cluster <paramref name="cluster"/>.</summary>
    public static bool IsRowOf(string name, string cluster) =>
        name.Length > cluster.Length + 1 && name.StartsWith(cluster, StringComparison.Ordinal) && name[cluster.Length] == '-'
        && name.AsSpan(cluster.Length + 1).IndexOfAnyExceptInRange('0', '9') < 0;
}
