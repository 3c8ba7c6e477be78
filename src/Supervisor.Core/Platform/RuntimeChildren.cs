using CliWrap;

namespace Supervisor.Core.Platform;

/// <summary>
/// Children the daemon starts through System.Diagnostics.Process (CliWrap: exec and desktop
/// notifiers): the runtime waits for them itself, so <see cref="AdoptedOrphans"/> must neither
/// adopt nor reap them. Taking one's exit status away made the runtime's own wait fail and took
/// the daemon down (NotificationSpecs in a clean-clone CI run: "adopted orphan pid N of no app",
/// then a new daemon 100 ms later).
/// </summary>
/// <remarks>
/// The start happens under <see cref="ChildReaper.Spawning"/>, the lock an orphan scan holds, and
/// the pid is recorded before the lock is let go: a scan never sees the child unrecorded.
/// </remarks>
public static class RuntimeChildren
{
    private static readonly Lock Gate = new();
    private static readonly HashSet<int> Pids = [];

    public static bool Contains(int pid)
    {
        lock (Gate) return Pids.Contains(pid);
    }

    /// <summary>Starts the command (<paramref name="start"/> is CliWrap's ExecuteAsync, which spawns before it returns) and awaits it.</summary>
    public static async Task<T> RunAsync<T>(Func<CommandTask<T>> start)
    {
        CommandTask<T> task;
        if (OperatingSystem.IsLinux())
        {
            lock (ChildReaper.Shared.Spawning)
            {
                task = start();
                lock (Gate) Pids.Add(task.ProcessId);
            }
        }
        else
        {
            task = start();
        }

        try
        {
            return await task;
        }
        finally
        {
            lock (Gate) Pids.Remove(task.ProcessId);
        }
    }
}
