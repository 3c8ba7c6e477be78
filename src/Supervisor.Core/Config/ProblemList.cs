using YamlDotNet.RepresentationModel;

namespace Supervisor.Core.Config;

/// <summary>Every problem found in one file, in the order found, each pinned to a node.</summary>
internal sealed class ProblemList(string file)
{
    private readonly List<ConfigProblem> _all = [];

    public string File { get; } = file;
    public int ErrorCount { get; private set; }
    public IReadOnlyList<ConfigProblem> All => _all;
    public IEnumerable<ConfigProblem> Warnings => _all.Where(p => p.IsWarning);

    public void Error(YamlNode at, string message) => Error((int)at.Start.Line, (int)at.Start.Column, message);

    public void Error(int line, int column, string message)
    {
        _all.Add(new ConfigProblem(File, line, column, message));
        ErrorCount++;
    }

    public void Warning(YamlNode at, string message) =>
        _all.Add(new ConfigProblem(File, (int)at.Start.Line, (int)at.Start.Column, message, IsWarning: true));
}
