using Supervisor.Core.Config;

namespace Supervisor.Core.Supervision;

/// <summary>
/// The dependency graph of a set of apps (name -> names it depends on): a start order where
/// every app comes after its dependencies, or the first cycle found. Stopping goes in the
/// reverse of the start order.
/// </summary>
public static class StartOrder
{
    /// <summary>
    /// Apps in start order (names kept in the order given where the graph leaves a choice), or
    /// null with <paramref name="cycle"/> naming the first cycle found (a, b, a).
    /// </summary>
    public static IReadOnlyList<string>? Of(
        IReadOnlyList<KeyValuePair<string, IReadOnlyList<string>>> apps, out IReadOnlyList<string>? cycle)
    {
        var edges = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var (name, dependencies) in apps)
        {
            edges[name] = dependencies;
        }

        var order = new List<string>(apps.Count);
        var state = new Dictionary<string, bool>(StringComparer.Ordinal); // false = on the path, true = done
        var path = new List<string>();
        foreach (var (name, _) in apps)
        {
            cycle = Visit(name, edges, state, path, order);
            if (cycle is not null)
            {
                return null;
            }
        }

        cycle = null;
        return order;
    }

    // Recursive for clarity: a file holds at most EcosystemLimits.MaxApps apps, so a chain is
    // never deeper than the stack allows.
    private static List<string>? Visit(
        string name, Dictionary<string, IReadOnlyList<string>> edges, Dictionary<string, bool> state, List<string> path, List<string> order)
    {
        if (state.TryGetValue(name, out var done))
        {
            return done ? null : [.. path.Skip(path.IndexOf(name)), name];
        }

        state[name] = false;
        path.Add(name);
        // Names not in the set are skipped: the loader reports unknown ones.
        foreach (var dependency in edges[name])
        {
            if (edges.ContainsKey(dependency) && Visit(dependency, edges, state, path, order) is { } cycle)
            {
                return cycle;
            }
        }

        path.RemoveAt(path.Count - 1);
        state[name] = true;
        order.Add(name);
        return null;
    }

    /// <summary>
    /// Specs sorted so each comes after the specs it depends on (all instances of a named app);
    /// as given when the graph has a cycle, which the loader already rejects.
    /// </summary>
    public static IReadOnlyList<AppSpec> Sort(IReadOnlyList<AppSpec> specs)
    {
        var graph = specs.Select(s => new KeyValuePair<string, IReadOnlyList<string>>(s.Name, [.. DependencyNames(s, specs)])).ToList();
        if (Of(graph, out _) is not { } order)
        {
            return specs;
        }

        var byName = specs.ToDictionary(s => s.Name, StringComparer.Ordinal);
        return [.. order.Select(n => byName[n])];
    }

    /// <summary>
    /// The names in <paramref name="all"/> that <paramref name="spec"/> depends on: an app named
    /// in depends_on, or each of its instances (NAME-0, NAME-1 ...).
    /// </summary>
    public static IEnumerable<string> DependencyNames(AppSpec spec, IEnumerable<AppSpec> all) =>
        all.Where(other => other.Name != spec.Name && spec.DependsOn.Any(d => IsInstanceOf(other, d.Name))).Select(o => o.Name);

    /// <summary>
    /// <see cref="DependencyNames"/> with what each is awaited for (ready or started), for the
    /// dependencies' owners to be asked.
    /// </summary>
    public static IEnumerable<(string Name, DependencyCondition Condition)> DependenciesOf(AppSpec spec, IEnumerable<AppSpec> all) =>
        spec.DependsOn.SelectMany(d => all.Where(other => other.Name != spec.Name && IsInstanceOf(other, d.Name)).Select(o => (o.Name, d.Condition)));

    private static bool IsInstanceOf(AppSpec spec, string appName) =>
        spec.Name == appName
        || (spec.Env.TryGetValue("SUP_INSTANCE", out var index) && spec.Name == $"{appName}-{index}");
}
