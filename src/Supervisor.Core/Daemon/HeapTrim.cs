namespace Supervisor.Core.Daemon;

/// <summary>
/// Gives back, once a burst of work is over, the memory the daemon grew into for it.
/// </summary>
/// <remarks>
/// Applying a file parses it, spawns every app, writes the journal and the state: the GC heap
/// grows for that, and keeps what it grew into, so a daemon that then idles for weeks holds the
/// memory of its busiest second. One aggressive collection a moment after the last burst
/// (re-armed by each one, so a script that starts 50 files pays once) returns it to the system;
/// it costs a few milliseconds of a heap that is mostly the apps' small, long-lived objects.
/// </remarks>
public static class HeapTrim
{
    private static readonly TimeSpan Quiet = TimeSpan.FromSeconds(2);

    private static readonly Lazy<ITimer> Timer = new(() =>
        TimeProvider.System.CreateTimer(_ => Trim(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan));

    /// <summary>Trims the heap once nothing has called this for a couple of seconds.</summary>
    public static void AfterBurst() => Timer.Value.Change(Quiet, Timeout.InfiniteTimeSpan);

    private static void Trim() =>
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
}
