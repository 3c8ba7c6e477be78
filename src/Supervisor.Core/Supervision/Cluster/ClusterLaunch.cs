using System.Globalization;
using System.Text.Json;
using Supervisor.Core.Config;

namespace Supervisor.Core.Supervision.Cluster;

/// <summary>
/// What sup execs for an app: its own command, or for a cluster (exec_mode: cluster) the app's
/// node running the bundled primary, told by SUP_CLUSTER_* variables what to fork and how.
/// </summary>
public static class ClusterLaunch
{
    /// <summary>PM2's listen_timeout default: how long a reload waits for a new worker to listen before it stops the old one.</summary>
    public static readonly TimeSpan ListenTimeout = TimeSpan.FromSeconds(3);

    public static ChildCommand Command(AppSpec spec, SupervisorContext context)
    {
        var command = ChildCommand.For(spec);
        if (spec.ClusterInstances is null || spec.Script is null) return command;

        var home = context.SupHome;
        var env = new Dictionary<string, string>(command.Environment)
        {
            ["SUP_CLUSTER_SCRIPT"] = spec.Script,
            ["SUP_CLUSTER_ARGS"] = JsonSerializer.Serialize(spec.Args.ToArray(), ClusterJson.Default.StringArray),
            ["SUP_CLUSTER_EXEC_ARGV"] = JsonSerializer.Serialize(spec.InterpreterArgs.ToArray(), ClusterJson.Default.StringArray),
            ["SUP_CLUSTER_INSTANCES"] = ClusterFiles.Workers(home, spec).ToString(CultureInfo.InvariantCulture),
            ["SUP_CLUSTER_STATUS"] = ClusterFiles.Status(home, spec.Name),
            ["SUP_CLUSTER_SCALE"] = ClusterFiles.Scale(home, spec.Name),
            // A worker's own crash policy, as sup's for a process: fast crashes back off and, after
            // max_restarts in a row, the primary exits so sup's policy sees the app crash.
            ["SUP_CLUSTER_MIN_UPTIME_MS"] = Ms(spec.MinUptime),
            ["SUP_CLUSTER_MAX_RESTARTS"] = spec.MaxRestarts.ToString(CultureInfo.InvariantCulture),
            ["SUP_CLUSTER_BACKOFF_MS"] = Ms(TimeSpan.FromMilliseconds(Math.Min(spec.ExpBackoffRestartDelay.TotalMilliseconds, 1000))),
            ["SUP_CLUSTER_KILL_TIMEOUT_MS"] = Ms(spec.KillTimeout),
            ["SUP_CLUSTER_LISTEN_TIMEOUT_MS"] = Ms(ListenTimeout),
        };
        string primary;
        try
        {
            primary = ClusterFiles.Primary(home);
        }
        catch (IOException e)
        {
            throw new SupException(SupError.Io, $"Could not write the cluster primary for '{spec.Name}' under {ClusterFiles.Folder(home)}: {e.Message}", e);
        }

        return command with { Arguments = [primary], Environment = env };
    }

    private static string Ms(TimeSpan span) => ((long)span.TotalMilliseconds).ToString(CultureInfo.InvariantCulture);
}
