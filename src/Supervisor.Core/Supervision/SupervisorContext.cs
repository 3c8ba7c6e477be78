using Microsoft.Extensions.Logging;
using Supervisor.Core.Platform;

namespace Supervisor.Core.Supervision;

/// <summary>What every app owner needs from the daemon: the platform, the clock, the log, and SUP_HOME.</summary>
public sealed record SupervisorContext(IProcessControl Control, TimeProvider Time, ILoggerFactory Logging, string SupHome)
{
    /// <summary>Told when an app's main pid appears (pid) or goes (null), so the daemon can record identities.</summary>
    public Action<string, int?>? PidChanged { get; init; }

    /// <summary>Told after each status change of a service (the daemon journals it, to resume it after a daemon death).</summary>
    public Action<AppSnapshot>? StatusChanged { get; init; }

    /// <summary>A live process from the app's PID file that this sup did not start (see OrphanSweeper).</summary>
    public Func<string, int?>? OutsideProcess { get; init; }

    /// <summary>
    /// The living processes of an app that left its tree and were adopted by the daemon (a
    /// double fork, see <see cref="Platform.AdoptedOrphans"/>): a stop kills them with the tree.
    /// </summary>
    public Func<string, IReadOnlyList<int>>? AdoptedBy { get; init; }

    /// <summary>Finds copies of a service that run outside sup (detect_external); null = never look.</summary>
    public IExternalProcessFinder? External { get; init; }

    /// <summary>How often a service shown as external looks whether that process is gone.</summary>
    public TimeSpan ExternalPollInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>The daemon's event stream (`sup events`, notifications); null = nobody listens.</summary>
    public Events.EventBus? Events { get; init; }

    /// <summary>`sup pause`/`resume`: the hold on job schedules, kept in state.json; null = never paused.</summary>
    public Scheduling.SchedulerPause? Pause { get; init; }

    /// <summary>Tells job triggers that the machine woke from a suspend; null = they notice within a minute anyway.</summary>
    public Scheduling.SuspendDetector? Suspends { get; init; }

    public string PidFileFor(Config.AppSpec spec) =>
        spec.PidFile ?? Path.Combine(SupHome, "pids", Config.AppNames.FileSafe(spec.Name) + ".pid");
}
