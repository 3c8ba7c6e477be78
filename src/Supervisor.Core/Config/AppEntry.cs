using YamlDotNet.RepresentationModel;

namespace Supervisor.Core.Config;

/// <summary>
/// What one item of <c>apps:</c> produced: its name and where it was written (for duplicate
/// checks and <c>--only</c>), its specs (one per instance; none when the item had errors) and
/// the env profiles it declares.
/// </summary>
internal sealed record AppEntry(
    string? Name, YamlNode? NameNode, IReadOnlyList<AppSpec> Specs, IReadOnlyCollection<string> EnvProfiles)
{
    /// <summary>depends_on as written, each name with its node: checked across the file by <see cref="StartOrderCheck"/>.</summary>
    public IReadOnlyList<(Dependency Dependency, YamlNode Node)> Dependencies { get; init; } = [];
}
