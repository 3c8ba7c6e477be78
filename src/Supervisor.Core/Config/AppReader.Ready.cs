using YamlDotNet.RepresentationModel;

namespace Supervisor.Core.Config;

internal sealed partial class AppReader
{
    /// <summary>
    /// depends_on: a list of names (each awaited until ready) or a mapping name: ready|started.
    /// Names are checked against the whole file later (<see cref="StartOrderCheck"/>), so this
    /// keeps the node each name was written at.
    /// </summary>
    private List<(Dependency Dependency, YamlNode Node)>? ReadDependsOn()
    {
        if (!TryGet("depends_on", out var node))
        {
            return [];
        }

        var found = new List<(Dependency, YamlNode)>();
        if (node is YamlMappingNode mapping)
        {
            foreach (var entry in MappingEntries.Read(mapping, Problems).Values)
            {
                var condition = ReadCondition(entry.Key, entry.Value);
                if (condition is null)
                {
                    return null;
                }

                found.Add((new Dependency(entry.Key, condition.Value), entry.KeyNode));
            }

            return found;
        }

        foreach (var item in NodeValues.Items(node))
        {
            var name = _values.String("depends_on", item);
            if (name is null)
            {
                return null;
            }

            found.Add((new Dependency(name, DependencyCondition.Ready), item));
        }

        return found;
    }

    private DependencyCondition? ReadCondition(string name, YamlNode node)
    {
        switch ((NodeValues.IsNull(node) ? "ready" : _values.String($"depends_on.{name}", node))?.Trim().ToLowerInvariant())
        {
            case null:
                return null;
            case "ready":
                return DependencyCondition.Ready;
            case "started":
                return DependencyCondition.Started;
            default:
                Problems.Error(node, $"depends_on.{name} must be ready or started.");
                return null;
        }
    }
}
