using YamlDotNet.RepresentationModel;

namespace Supervisor.Core.Config;

/// <summary>
/// Every problem found in one load, in the order found, each pinned to a node. A load may read
/// several files (<c>include:</c>): the nodes of each included file are registered with
/// <see cref="AddFile"/>, so a problem at one of them names that file, and the code that reads
/// apps and checks them across the set needs no file of its own.
/// </summary>
internal sealed class ProblemList(string file)
{
    private readonly List<ConfigProblem> _all = [];
    private readonly Dictionary<YamlNode, string> _fileOf = new(ReferenceEqualityComparer.Instance);

    public string File { get; } = file;
    public int ErrorCount { get; private set; }
    public IReadOnlyList<ConfigProblem> All => _all;
    public IEnumerable<ConfigProblem> Warnings => _all.Where(p => p.IsWarning);

    /// <summary>Every node under <paramref name="root"/> came from <paramref name="path"/>.</summary>
    public void AddFile(string path, YamlNode root)
    {
        foreach (var node in root.AllNodes)
        {
            _fileOf[node] = path;
        }
    }

    /// <summary>The file a node was read from: an included file's, or this list's own.</summary>
    public string FileOf(YamlNode node) => _fileOf.TryGetValue(node, out var path) ? path : File;

    public void Error(YamlNode at, string message) => Error(FileOf(at), (int)at.Start.Line, (int)at.Start.Column, message);

    public void Error(int line, int column, string message) => Error(File, line, column, message);

    public void Error(string file, int line, int column, string message)
    {
        _all.Add(new ConfigProblem(file, line, column, message));
        ErrorCount++;
    }

    public void Warning(YamlNode at, string message) =>
        _all.Add(new ConfigProblem(FileOf(at), (int)at.Start.Line, (int)at.Start.Column, message, IsWarning: true));
}
