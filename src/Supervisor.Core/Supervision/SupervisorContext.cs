using Microsoft.Extensions.Logging;
using Supervisor.Core.Platform;

namespace Supervisor.Core.Supervision;

/// <summary>What every app owner needs from the daemon: the platform, the clock, the log, and SUP_HOME.</summary>
public sealed record SupervisorContext(IProcessControl Control, TimeProvider Time, ILoggerFactory Logging, string SupHome)
{
    /// <summary>Told when an app's main pid appears (pid) or goes (null), so the daemon can record identities.</summary>
    public Action<string, int?>? PidChanged { get; init; }

    /// <summary>A live process from the app's PID file that this sup did not start (see OrphanSweeper).</summary>
    public Func<string, int?>? OutsideProcess { get; init; }

    /// <summary>
    /// The living processes of an app that left its tree and were adopted by the daemon (a
    /// double fork, see <see cref="Platform.AdoptedOrphans"/>): a stop kills them with the tree.
    /// </summary>
    public Func<string, IReadOnlyList<int>>? AdoptedBy { get; init; }

    /// <summary>The daemon's event stream (`sup events`, notifications); null = nobody listens.</summary>
    public Events.EventBus? Events { get; init; }

    public string PidFileFor(Config.AppSpec spec) =>
        spec.PidFile ?? Path.Combine(SupHome, "pids", Config.AppNames.FileSafe(spec.Name) + ".pid");
}
