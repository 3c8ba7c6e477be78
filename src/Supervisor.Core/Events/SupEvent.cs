namespace Supervisor.Core.Events;

/// <summary>
/// One thing that happened, as the owner that made it happen saw it. <see cref="App"/> is null
/// for the daemon's own events. <see cref="Sequence"/> is set by the <see cref="EventBus"/>
/// (1, 2, 3 ... in this daemon's life), so a reader can tell a gap from a quiet stretch.
/// </summary>
public sealed record SupEvent(DateTimeOffset At, EventKind Kind, EventSource Source, string? App, string Reason)
{
    public long Sequence { get; init; }
    public int? ExitCode { get; init; }
    /// <summary>The signal name (SIGKILL) when the child was killed by one.</summary>
    public string? Signal { get; init; }
    /// <summary>The job run's SUP_RUN_ID, on a job's started/succeeded/failed/recovered events.</summary>
    public string? RunId { get; init; }

    /// <summary>The one-line human form: "web crashed: exit code 1".</summary>
    public string Text => App is null
        ? $"sup daemon {Kind.ToWire()}: {Reason}"
        : $"{App} {Kind.ToWire()}: {Reason}";
}
