using Supervisor.Core.Supervision;

namespace Supervisor.Core.Config;

/// <summary>
/// The cross-app rules of depends_on: every name is an app of the same file, an app does not
/// depend on itself, and the graph has no cycle. Each problem is pinned to the name's node.
/// </summary>
internal static class StartOrderCheck
{
    public static void Run(IReadOnlyList<AppEntry> entries, ProblemList problems)
    {
        var known = entries.Where(e => e.Name is not null).Select(e => e.Name!).ToHashSet(StringComparer.Ordinal);
        var graph = new List<KeyValuePair<string, IReadOnlyList<string>>>();
        foreach (var entry in entries.Where(e => e.Name is not null))
        {
            var ok = true;
            foreach (var (dependency, node) in entry.Dependencies)
            {
                if (dependency.Name == entry.Name)
                {
                    problems.Error(node, $"depends_on: '{entry.Name}' cannot depend on itself.");
                    ok = false;
                }
                else if (!known.Contains(dependency.Name))
                {
                    var hint = KeySuggester.Suggest(dependency.Name, known) is { } close ? $" Did you mean '{close}'?" : "";
                    problems.Error(node, $"depends_on: there is no app named '{dependency.Name}' in this file.{hint}");
                    ok = false;
                }
            }

            if (ok)
            {
                graph.Add(new(entry.Name!, [.. entry.Dependencies.Select(d => d.Dependency.Name)]));
            }
        }

        if (StartOrder.Of(graph, out var cycle) is null && cycle is not null)
        {
            // Pinned where the cycle closes: the last app's entry naming the first.
            var closing = entries.First(e => e.Name == cycle[^2]).Dependencies.First(d => d.Dependency.Name == cycle[^1]).Node;
            problems.Error(closing, $"depends_on has a cycle: {string.Join(" -> ", cycle)}; no app of it could start first.");
        }
    }
}
