namespace Supervisor.Core.Config;

/// <summary>
/// One thing wrong (or worth a warning) in an ecosystem file, at the place an editor can jump to.
/// Line and column are 1-based.
/// </summary>
public sealed record ConfigProblem(string File, int Line, int Column, string Message, bool IsWarning = false)
{
    public override string ToString() =>
        IsWarning ? $"{File}:{Line}:{Column}: warning: {Message}" : $"{File}:{Line}:{Column}: {Message}";
}
