namespace Supervisor.Core.Supervision;

/// <summary>
/// What `sup ls` shows. Services use Starting..Errored; jobs use Scheduled, Running and
/// Disabled plus Stopped and Errored. The wire form is the lower-case name.
/// </summary>
public enum AppStatus
{
    Starting,
    Online,
    Stopping,
    Stopped,
    Waiting,
    Errored,
    Scheduled,
    Running,
    Disabled,
    /// <summary>A job whose schedule is held by `sup pause` (the whole scheduler or the job).</summary>
    Paused,
    /// <summary>A service's copy runs outside sup (detect_external): sup starts none until it is gone.</summary>
    External,
}

public static class AppStatusNames
{
    public static string ToWire(this AppStatus status) => status switch
    {
        AppStatus.Starting => "starting",
        AppStatus.Online => "online",
        AppStatus.Stopping => "stopping",
        AppStatus.Stopped => "stopped",
        AppStatus.Waiting => "waiting",
        AppStatus.Errored => "errored",
        AppStatus.Scheduled => "scheduled",
        AppStatus.Running => "running",
        AppStatus.Disabled => "disabled",
        AppStatus.Paused => "paused",
        AppStatus.External => "external",
        _ => status.ToString().ToLowerInvariant(),
    };
}
