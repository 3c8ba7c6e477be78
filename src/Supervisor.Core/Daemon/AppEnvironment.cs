using System.Text;
using Supervisor.Core.Supervision;

namespace Supervisor.Core.Daemon;

/// <summary>
/// An app's environment as the app sees it: while it runs, what its process was started with
/// (/proc/PID/environ: nothing sup computes can differ from it); otherwise what it would be
/// started with, the daemon's environment with the app's env over it.
/// </summary>
public static class AppEnvironment
{
    /// <param name="worker">A cluster's worker row (web-1): that worker's own environment, NODE_APP_INSTANCE included.</param>
    public static Dictionary<string, string> Of(IAppSupervisor app, SupervisorContext context, string? worker = null)
    {
        if (worker is not null && WorkerPid(app, context, worker) is { } workerPid && OperatingSystem.IsLinux() && Read(workerPid) is { } own)
            return own;

        if (app.RootPid is { } pid && OperatingSystem.IsLinux() && Read(pid) is { } running)
        {
            // A cluster primary's own plumbing is not the workers' environment.
            if (app.Spec.ClusterInstances is not null)
                foreach (var key in running.Keys.Where(k => k.StartsWith("SUP_CLUSTER_", StringComparison.Ordinal)).ToList()) running.Remove(key);
            return running;
        }

        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (System.Collections.DictionaryEntry entry in Environment.GetEnvironmentVariables())
            if (entry.Key is string key) env[key] = entry.Value as string ?? "";
        foreach (var (key, value) in ChildCommand.For(app.Spec).Environment) env[key] = value;
        return env;
    }

    private static int? WorkerPid(IAppSupervisor app, SupervisorContext context, string worker) =>
        Supervision.Cluster.ClusterStatus.Read(Supervision.Cluster.ClusterFiles.Status(context.SupHome, app.Name), app.RootPid)?
            .Workers.FirstOrDefault(w => Supervision.Cluster.ClusterRows.RowName(app.Name, w.Index) == worker)?.Pid;

    private static Dictionary<string, string>? Read(int pid)
    {
        try
        {
            var env = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var entry in Encoding.UTF8.GetString(File.ReadAllBytes($"/proc/{pid}/environ")).Split('\0', StringSplitOptions.RemoveEmptyEntries))
            {
                var eq = entry.IndexOf('=');
                if (eq > 0) env[entry[..eq]] = entry[(eq + 1)..];
            }

            return env;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
