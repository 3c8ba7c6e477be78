namespace Supervisor.Core.Protocol;

/// <summary>The params of each `monit.update` notification pushed by `monit.subscribe`.</summary>
public sealed record MonitUpdate
{
    /// <summary>When the daemon took this view, ISO 8601 with offset.</summary>
    public required string At { get; init; }
    public required IReadOnlyList<AppInfo> Apps { get; init; }
}
