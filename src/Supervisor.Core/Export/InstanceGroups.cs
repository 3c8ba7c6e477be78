using Supervisor.Core.Config;

namespace Supervisor.Core.Export;

/// <summary>The copies of one app (`instances: N` became NAME-0 .. NAME-(N-1)), or one app alone.</summary>
internal sealed record InstanceGroup(string Name, IReadOnlyList<AppSpec> Specs)
{
    public AppSpec First => Specs[0];
    public int Count => Specs.Count;
}

internal static class InstanceGroups
{
    /// <summary>Regroups expanded instances by the SUP_INSTANCE the reader gave each copy.</summary>
    public static IReadOnlyList<InstanceGroup> Of(IReadOnlyList<AppSpec> apps)
    {
        var groups = new List<InstanceGroup>();
        var byName = new Dictionary<string, List<AppSpec>>(StringComparer.Ordinal);
        foreach (var app in apps)
        {
            var name = app.Name;
            if (app.Env.TryGetValue("SUP_INSTANCE", out var index) && name.EndsWith("-" + index, StringComparison.Ordinal))
                name = name[..^(index.Length + 1)];
            if (!byName.TryGetValue(name, out var list))
            {
                byName[name] = list = [];
                groups.Add(new InstanceGroup(name, list));
            }
            list.Add(app);
        }
        return groups;
    }
}
