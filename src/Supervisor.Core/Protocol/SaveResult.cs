namespace Supervisor.Core.Protocol;

/// <summary>What `sup save` wrote.</summary>
public sealed record SaveResult
{
    /// <summary>The dump written ($SUP_HOME/dump.yaml).</summary>
    public string File { get; init; } = "";
    /// <summary>Where the previous dump was kept, or null when there was none that loaded.</summary>
    public string? Backup { get; init; }
    public IReadOnlyList<string> Apps { get; init; } = [];
}
