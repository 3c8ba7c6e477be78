namespace Supervisor.Core.Events;

/// <summary>
/// What can happen to an app or to the daemon. The wire name (<see cref="EventKinds.ToWire"/>)
/// is what `sup events` prints, what `on:` in a notify target lists, and SUP_EVENT.
/// </summary>
public enum EventKind
{
    /// <summary>A service's child runs; a job's run began; the daemon serves.</summary>
    Started,
    /// <summary>A service passed its readiness check (raised by the readiness code).</summary>
    Ready,
    /// <summary>A service's child exited on its own with code 0 or one of stop_exit_codes.</summary>
    Exited,
    /// <summary>A service's child exited on its own with any other code, or was killed by a signal.</summary>
    Crashed,
    /// <summary>A restart is decided (after a backoff or restart_delay, or at once).</summary>
    Restarting,
    /// <summary>A service gave up after max_restarts fast crashes (or supervision failed).</summary>
    Errored,
    /// <summary>A running service failed its health check (raised by the health-check code).</summary>
    Unhealthy,
    /// <summary>A service went over max_memory_restart and is restarted.</summary>
    MemoryRestart,
    /// <summary>A service runs again after it was errored; a job succeeded after a failed run.</summary>
    Recovered,
    /// <summary>A job run ended with every step exiting 0.</summary>
    Succeeded,
    /// <summary>A job run failed, after its retries.</summary>
    Failed,
    /// <summary>A job's scheduled run was skipped: the previous run was still going.</summary>
    Skipped,
    /// <summary>A service was not started: a copy of it runs outside sup (detect_external).</summary>
    External,
    /// <summary>The daemon is shutting down.</summary>
    Stopping,
}

public static class EventKinds
{
    public static readonly IReadOnlyList<EventKind> All = Enum.GetValues<EventKind>();

    public static string ToWire(this EventKind kind) => kind switch
    {
        EventKind.MemoryRestart => "memory_restart",
        _ => kind.ToString().ToLowerInvariant(),
    };

    public static bool TryParse(string text, out EventKind kind)
    {
        foreach (var each in All)
        {
            if (string.Equals(each.ToWire(), text.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                kind = each;
                return true;
            }
        }
        kind = default;
        return false;
    }

    public static string WireNames => string.Join(", ", All.Select(k => k.ToWire()));
}
