namespace Supervisor.Core.Protocol;

/// <summary>`ping`: the daemon answers, with its pid and version.</summary>
public sealed record PingResult(bool Pong, int Pid, string Version)
{
    /// <summary>When this daemon started a new keeper because its first one died (null: it never had to).</summary>
    public DateTimeOffset? KeeperRestartedAt { get; init; }

    /// <summary>The pid of that new keeper.</summary>
    public int? KeeperPid { get; init; }
}

/// <summary>`version`.</summary>
public sealed record VersionResult(string Version, string Runtime, int Pid, string SupHome);

/// <summary>`replace` (`sup update`): the pid of the daemon that exits to be replaced.</summary>
public sealed record ReplaceResult(int Pid);

/// <summary>`kill`: how many apps were stopped before the daemon exits.</summary>
public sealed record KillResult(int Stopped);

/// <summary>`maxKillTimeout`: the longest kill_timeout among the apps (0 without apps).</summary>
public sealed record MaxKillTimeoutResult(long MaxKillTimeoutMs, int Apps);

/// <summary>`pause` / `resume`: whether the whole scheduler is now paused, and the jobs each call paused or resumed.</summary>
public sealed record PauseResult(bool SchedulerPaused, string[] Jobs);
