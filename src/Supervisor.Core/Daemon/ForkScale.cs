using System.Globalization;
using Supervisor.Core.Config;
using Supervisor.Core.Supervision;
using Supervisor.Core.Supervision.Cluster;

namespace Supervisor.Core.Daemon;

/// <summary>
/// `sup scale NAME N` for fork-mode instances (NAME-0 .. NAME-(k-1), from `instances: k`): new
/// instances are copies of the last one with the next numbers (their own NODE_APP_INSTANCE,
/// SUP_INSTANCE, log and PID files, as the reader names them); fewer deletes the highest.
/// </summary>
internal sealed class ForkScale(AppRegistry registry)
{
    public async Task<IReadOnlyList<IAppSupervisor>> ScaleAsync(string name, int instances, CancellationToken cancellationToken)
    {
        var group = Group(name);
        if (group.Count == 0)
        {
            if (registry.Find(name) is not null)
                throw new SupException(SupError.NotSupported,
                    $"'{name}' runs as one app, not as instances: give it instances: in its ecosystem file (exec_mode: cluster for a Node server sharing a port), then `sup scale {name} N`.");
            throw SupException.NoSuchApp(name);
        }

        var last = group[^1];
        var lastIndex = IndexOf(last.Name, name);
        for (var i = group.Count; i < instances; i++)
        {
            var copy = Copy(last.Spec, name, lastIndex, lastIndex + 1 + (i - group.Count));
            var owner = registry.Add(copy);
            await owner.StartAsync($"scaled to {instances}", cancellationToken);
        }

        foreach (var extra in group.Skip(instances).Reverse())
            await registry.DeleteAsync(extra.Name, cancellationToken);

        return Group(name);
    }

    private List<IAppSupervisor> Group(string name) =>
        [.. registry.All.Where(a => ClusterRows.IsRowOf(a.Name, name)).OrderBy(a => IndexOf(a.Name, name))];

    private static int IndexOf(string instance, string name) =>
        int.Parse(instance.AsSpan(name.Length + 1), NumberStyles.None, CultureInfo.InvariantCulture);

    private static AppSpec Copy(AppSpec spec, string name, int from, int to)
    {
        var index = to.ToString(CultureInfo.InvariantCulture);
        var env = new Dictionary<string, string>(spec.Env, StringComparer.Ordinal)
        {
            ["NODE_APP_INSTANCE"] = index,
            ["SUP_INSTANCE"] = index,
        };
        return spec with
        {
            Name = $"{name}-{index}",
            Env = env,
            OutFile = Renumber(spec.OutFile, from, index),
            ErrorFile = Renumber(spec.ErrorFile, from, index),
            PidFile = Renumber(spec.PidFile, from, index),
        };
    }

    /// <summary>web-out-2.log → web-out-3.log: the reader's suffix, moved to the new number.</summary>
    private static string? Renumber(string? path, int from, string to)
    {
        if (path is null || path.StartsWith("/dev/", StringComparison.Ordinal)) return path;
        var extension = Path.GetExtension(path);
        var stem = path[..^extension.Length];
        var suffix = "-" + from.ToString(CultureInfo.InvariantCulture);
        return stem.EndsWith(suffix, StringComparison.Ordinal)
            ? string.Concat(stem.AsSpan(0, stem.Length - suffix.Length), "-", to, extension)
            : string.Concat(stem, "-", to, extension);
    }
}
