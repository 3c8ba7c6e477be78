using YamlDotNet.RepresentationModel;

namespace Supervisor.Core.Config;

internal sealed partial class AppReader
{
    /// <summary>
    /// PM2's exec_mode: cluster (or cluster_mode: true). A Node script becomes one app whose
    /// process is sup's cluster primary, forking <paramref name="instances"/> workers that share
    /// their ports (Supervision/Cluster). Anything else cannot share a port through Node, so its
    /// instances run as separate processes, with a warning that says what works instead.
    /// </summary>
    private List<AppSpec> ExpandOrCluster(AppSpec spec, int instances, InstanceVars vars)
    {
        if (ClusterModeNode() is not { } node)
        {
            return Expand(spec, instances, vars);
        }

        if (spec.Kind == AppKind.Job)
        {
            Problems.Warning(node, "exec_mode: cluster applies to services; a job runs one process per trigger, so it is ignored here.");
            return Expand(spec, instances, vars);
        }

        if (spec.Script is null || !IsNode(spec.Interpreter))
        {
            var what = spec.Script is null ? "a command" : $"'{Path.GetFileName(spec.Script)}', which is not run by node";
            Problems.Warning(node,
                $"exec_mode: cluster is Node's cluster module, and this app is {what}: its {instances} instance(s) run as separate processes, " +
                "so only one of them can listen on a port unless the app sets SO_REUSEPORT on its socket (see docs/supervision.md, Cluster mode).");
            return Expand(spec, instances, vars);
        }

        if (!Path.IsPathRooted(spec.FileName) || !File.Exists(spec.FileName))
        {
            Problems.Error(node,
                $"exec_mode: cluster runs the app with node, and '{spec.FileName}' was not found on PATH; install Node.js or set interpreter: to node's path.");
            return [];
        }

        return [spec with { ClusterInstances = instances }];
    }

    /// <summary>The node of exec_mode: cluster / cluster_mode: true, or null for fork mode (PM2's default).</summary>
    private YamlNode? ClusterModeNode()
    {
        if (TryGet("exec_mode", out var mode))
        {
            var text = _values.String("exec_mode", mode);
            switch (text?.Trim().ToLowerInvariant())
            {
                case "cluster" or "cluster_mode":
                    return mode;
                case null or "fork" or "fork_mode":
                    break;
                default:
                    Problems.Error(mode, $"exec_mode: '{text}' is not a mode; use fork (the default) or cluster.");
                    break;
            }
        }

        if (TryGet("cluster_mode", out var flag) && _values.Bool("cluster_mode", flag) == true)
        {
            return flag;
        }

        return null;
    }

    private static bool IsNode(string? interpreter) =>
        interpreter is not null && Path.GetFileName(interpreter) is var file
        && (file.Equals("node", StringComparison.Ordinal) || file.Equals("nodejs", StringComparison.Ordinal)
            || file.StartsWith("node", StringComparison.Ordinal) && file.AsSpan(4).IndexOfAnyExceptInRange('0', '9') < 0);
}
