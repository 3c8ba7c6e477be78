using System.Text.Json;
using Supervisor.Core.Platform;

namespace Supervisor.Core.Daemon;

/// <summary>
/// `sup kill --force`: SIGKILL the daemon and every app's process group, found through the PID
/// files, without the RPC and without waiting for any kill_timeout (a kill_timeout of days made
/// `sup kill` hang; a deleted socket made the daemon unreachable, issue 14). A pid counts as
/// ours only by identity: the daemon's holds sup.lock and started before it wrote sup.pid; an
/// app's matches the start time recorded in state.json, or started before its PID file was
/// written. A reused pid is never signalled.
/// </summary>
public static class ForceKill
{
    // A process writes its PID file just after it starts: allow for a slow start and coarse clocks.
    private static readonly TimeSpan StartSlack = TimeSpan.FromSeconds(2);

    public sealed record Result(int? DaemonPid, IReadOnlyList<string> Apps);

    /// <summary>The daemon's pid when one runs for this SUP_HOME (holds the lock), reachable or not.</summary>
    public static int? LiveDaemonPid(SupPaths paths, IProcessControl control)
    {
        if (!IsLockHeld(paths.LockFile) || PidFile.TryRead(paths.PidFile) is not int pid)
        {
            return null;
        }

        return IsOwnerOf(control, pid, paths.PidFile) ? pid : null;
    }

    /// <summary>
    /// The one line for "the socket is gone but the daemon runs", or null when no daemon runs.
    /// </summary>
    public static SupException? Unreachable(SupPaths paths, IProcessControl control, string socketPath) =>
        LiveDaemonPid(paths, control) is int pid
            ? new SupException(SupError.Conflict,
                $"The sup daemon for {paths.Home} is running (pid {pid}) but cannot be reached: its socket {socketPath} is gone. `sup kill --force` stops it and its apps.")
            : null;

    public static async Task<Result> RunAsync(SupPaths paths, IProcessControl control, CancellationToken cancellationToken)
    {
        // The daemon frozen first: one that sees its keeper die starts a new keeper
        // (KeeperRespawner), and that one would start a new daemon once this one is killed.
        var daemon = LiveDaemonPid(paths, control);
        if (daemon is int frozen)
        {
            control.Signal(frozen, Signals.SIGSTOP);
        }

        // Then the keeper: it starts a new daemon the moment the old one dies, and that daemon
        // would adopt or restart the apps killed below.
        try
        {
            if (IsLockHeld(paths.KeeperLockFile) && PidFile.TryRead(paths.KeeperPidFile) is int k
                && IsOwnerOf(control, k, paths.KeeperPidFile))
            {
                control.Signal(k, Signals.SIGKILL);
                await WaitGoneAsync(control, k, cancellationToken);
                PidFile.Delete(paths.KeeperPidFile);
            }
        }
        finally
        {
            // Then the daemon, so it restarts nothing while its apps die; even when the wait
            // above was cancelled (Ctrl-C), a frozen daemon must not be left behind.
            if (daemon is int d) control.Signal(d, Signals.SIGKILL);
        }

        if (daemon is int dead)
        {
            await WaitGoneAsync(control, dead, cancellationToken);
        }

        var recorded = ReadRecordedIdentities(paths.StateFile);
        var killed = new List<string>();
        foreach (var pidFile in EnumeratePidFiles(paths.PidsDir))
        {
            var name = Path.GetFileNameWithoutExtension(pidFile);
            if (PidFile.TryRead(pidFile) is int pid && IsApp(control, name, pid, pidFile, recorded))
            {
                // Apps lead their own process group; signalling the pid too covers one that does not.
                control.SignalGroup(pid, Signals.SIGKILL);
                control.Signal(pid, Signals.SIGKILL);
                killed.Add(name);
            }

            PidFile.Delete(pidFile);
        }

        if (daemon is not null || !IsLockHeld(paths.LockFile))
        {
            PidFile.Delete(paths.PidFile);
        }

        // What was running is gone on purpose: the next daemon must not restore it from the journal.
        try { if (Directory.Exists(paths.JournalDir)) Directory.Delete(paths.JournalDir, recursive: true); }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { }

        return new Result(daemon, killed);
    }

    private static bool IsApp(IProcessControl control, string name, int pid, string pidFile, IReadOnlyDictionary<string, RunningIdentity> recorded)
    {
        if (control.TryGetInfo(pid) is not { IsZombie: false } info)
        {
            return false;
        }

        if (recorded.TryGetValue(name, out var identity) && identity.Pid == pid)
        {
            return identity.StartTimeTicks == info.StartTimeTicks;
        }

        return IsOwnerOf(control, pid, pidFile);
    }

    /// <summary>The process running as <paramref name="pid"/> started before <paramref name="pidFile"/> was written, so the file is about it.</summary>
    private static bool IsOwnerOf(IProcessControl control, int pid, string pidFile)
    {
        if (control.TryGetInfo(pid) is not { IsZombie: false } info)
        {
            return false;
        }

        if (control.TicksPerSecond <= 0)
        {
            return control.IsAlive(pid); // no start times on this OS: liveness is all there is
        }

        DateTime written;
        try
        {
            written = File.GetLastWriteTimeUtc(pidFile);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }

        var started = DateTimeOffset.FromUnixTimeSeconds(control.BootTimeUnixSeconds)
            + TimeSpan.FromSeconds((double)info.StartTimeTicks / control.TicksPerSecond);
        return started.UtcDateTime <= written + StartSlack;
    }

    /// <summary>Whether a daemon holds sup.lock (DaemonLock: FileShare.None is a lock the kernel drops when its holder dies).</summary>
    private static bool IsLockHeld(string lockFile)
    {
        try
        {
            using var probe = new FileStream(lockFile, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
            return false;
        }
        catch (FileNotFoundException)
        {
            return false;
        }
        catch (DirectoryNotFoundException)
        {
            return false;
        }
        catch (IOException)
        {
            return true;
        }
    }

    private static IReadOnlyDictionary<string, RunningIdentity> ReadRecordedIdentities(string stateFile)
    {
        try
        {
            return JsonSerializer.Deserialize(File.ReadAllText(stateFile), DaemonStateJson.Default.DaemonState)?.Running
                ?? new Dictionary<string, RunningIdentity>();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            return new Dictionary<string, RunningIdentity>();
        }
    }

    private static IEnumerable<string> EnumeratePidFiles(string folder)
    {
        try
        {
            return Directory.GetFiles(folder, "*.pid");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    private static async Task WaitGoneAsync(IProcessControl control, int pid, CancellationToken cancellationToken)
    {
        // SIGKILL cannot be caught; this only waits for the kernel to finish it (its lock is dropped then).
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (control.IsAlive(pid) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10, cancellationToken);
        }
    }
}
