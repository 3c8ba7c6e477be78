namespace Supervisor.Core.Config;

/// <summary>
/// One thing wrong (or worth a warning) in an ecosystem file, at the place an editor can jump to.
/// Line and column are 1-based.
/// </summary>
/// <param name="Where">
/// Instead of line:column, the key the problem is at (`apps[0] (web).max_restarts`): for a
/// JavaScript file, whose apps the reader sees as the JSON the file exported, not as its text.
/// </param>
public sealed record ConfigProblem(string File, int Line, int Column, string Message, bool IsWarning = false, string? Where = null)
{
    public override string ToString()
    {
        var at = Where is null ? $"{File}:{Line}:{Column}" : $"{File}: {Where}";
        return IsWarning ? $"{at}: warning: {Message}" : $"{at}: {Message}";
    }
}
