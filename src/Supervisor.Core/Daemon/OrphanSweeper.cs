using Microsoft.Extensions.Logging;
using Supervisor.Core.Config;
using Supervisor.Core.Keeper;
using Supervisor.Core.Platform;
using Supervisor.Core.Supervision;

namespace Supervisor.Core.Daemon;

/// <summary>What the start-up sweep found: apps to register, adopt, and start again; PID-file processes not ours.</summary>
public sealed record Recovery(
    IReadOnlyDictionary<string, int> Foreign,
    JournalContents Journal,
    IReadOnlyDictionary<string, (AdoptedProcess Process, int Restarts)> Adopt,
    IReadOnlyDictionary<string, string> Restore);

/// <summary>
/// At start, before anything runs, settles what a previous daemon left (SPEC section 3: nothing
/// runs twice). Each app the journal (or state.json) names as running is recognised by pid and
/// /proc start time, so a reused PID is never mistaken for ours, then:
/// <list type="bullet">
/// <item>if the keeper held its output pipes (the daemon died, the keeper did not), it is ADOPTED:
/// same process, same pid and uptime, its output pumped again from the held pipes, nothing lost;
/// an app that ended meanwhile is adopted with the exit code the keeper recorded, so its own
/// restart policy decides;</item>
/// <item>otherwise (no keeper held it: both were lost, or a daemon run without a keeper) nobody
/// read its output, so it is stopped (tree included) and started once again from the journal's
/// spec, saying so in daemon.log and `sup ls`.</item>
/// </list>
/// A live PID-file process that is not one we recorded was started outside sup: it is reported
/// once and left alone, and the app of that name refuses to start while it lives.
/// </summary>
public sealed class OrphanSweeper(SupPaths paths, StateStore store, Journal journal, KeeperLink? keeper, IProcessControl control, TimeProvider time, ILogger log)
{
    /// <summary>How long to wait for the keeper's word on an adopted app's exit once its pidfd says it ended.</summary>
    private static readonly TimeSpan ExitReportWait = TimeSpan.FromSeconds(2);

    public async Task<Recovery> SweepAsync(CancellationToken cancellationToken)
    {
        var foreign = new Dictionary<string, int>();
        var adopt = new Dictionary<string, (AdoptedProcess, int)>();
        var restore = new Dictionary<string, string>();
        var contents = journal.Read();
        var specs = contents.Apps.ToDictionary(a => a.Name, StringComparer.Ordinal);
        var recorded = store.Read(s => s.Running.ToDictionary(r => r.Key, r => new JournalEntry(r.Value.Pid, r.Value.StartTimeTicks, 0)));
        foreach (var (name, entry) in contents.Running) recorded[name] = entry; // written before the PID file: the newer word
        var stopper = new ProcessTreeStopper(control, time);
        var stops = new List<Task>();
        var adoptedPids = new HashSet<int>();

        foreach (var (name, entry) in recorded)
        {
            var spec = specs.GetValueOrDefault(name);
            var pidFile = spec is not null ? PidFileFor(spec) : Path.Combine(paths.PidsDir, AppNames.FileSafe(name) + ".pid");
            var alive = new ProcessIdentity(entry.Pid, entry.StartTimeTicks).IsSameProcessAlive(control);
            if (spec is not null && TryAdopt(name, entry, alive) is { } adopted)
            {
                adopt[name] = (adopted, entry.Restarts);
                adoptedPids.Add(entry.Pid);
            }
            else if (alive)
            {
                log.LogWarning("{App}: pid {Pid} outlived the previous daemon, and no keeper kept its output; stopping it (tree included) before anything starts",
                    name, entry.Pid);
                stops.Add(StopOrphanAsync(stopper, entry.Pid, pidFile, cancellationToken));
                if (spec is { Kind: AppKind.Service })
                    restore[name] = $"started again: the previous daemon was lost with no keeper reading its output; pid {entry.Pid} was stopped";
            }
            else
            {
                TryDeletePidFile(pidFile, entry.Pid);
                if (spec is { Kind: AppKind.Service })
                    restore[name] = $"started again: pid {entry.Pid} ended while no daemon ran";
            }
        }

        foreach (var pidFile in Directory.EnumerateFiles(paths.PidsDir, "*.pid"))
        {
            var name = Path.GetFileNameWithoutExtension(pidFile);
            if (recorded.ContainsKey(name)) continue;
            if (PidFile.TryRead(pidFile) is not int pid || control.TryGetInfo(pid) is not { IsZombie: false })
            {
                PidFile.Delete(pidFile); // stale: the process is gone
                continue;
            }
            log.LogWarning("{App}: pid {Pid} from {PidFile} is running but was not started by this sup; it is left alone and '{App}' will not be started while it runs",
                name, pid, pidFile, name);
            foreign[name] = pid;
        }

        // Pipes of apps nobody adopts need no keeping. One the journal does not name at all was
        // spawned by the previous daemon in its last moments, before it could write the journal:
        // ours for sure (only a daemon's spawns are held), so it is stopped, not left running unknown.
        if (keeper is not null && OperatingSystem.IsLinux())
            foreach (var held in keeper.Handed.Values)
            {
                if (adoptedPids.Contains(held.Pid)) continue;
                keeper.Drop(held.Pid);
                if (held.ExitCode is null && !recorded.Values.Any(r => r.Pid == held.Pid)
                    && new ProcessIdentity(held.Pid, held.StartTimeTicks).IsSameProcessAlive(control))
                {
                    log.LogWarning("pid {Pid} was started by the previous daemon just before it died, too soon to be journaled; stopping it", held.Pid);
                    stops.Add(stopper.StopAsync(held.Pid, Task.CompletedTask, Signals.SIGTERM, TimeSpan.FromSeconds(5), cancellationToken));
                }
            }
        if (keeper is not null && OperatingSystem.IsLinux())
            foreach (var (pid, start) in keeper.Orphans)
            {
                if (adoptedPids.Contains(pid) || recorded.Values.Any(r => r.Pid == pid)) continue;
                if (!new ProcessIdentity(pid, start).IsSameProcessAlive(control)) continue;
                log.LogWarning("pid {Pid} ({Command}) was left to the keeper with no one reading it (spawned by the previous daemon as it died, or escaped from an app's session); stopping it",
                    pid, control.TryGetInfo(pid)?.Command ?? "?");
                stops.Add(stopper.StopAsync(pid, Task.CompletedTask, Signals.SIGTERM, TimeSpan.FromSeconds(5), cancellationToken));
            }

        await Task.WhenAll(stops);
        store.Update(s => s.Running.Clear());
        return new Recovery(foreign, contents, adopt, restore);
    }

    /// <summary>The app's process with new read ends of the pipes the keeper held, or null if the keeper did not hold them.</summary>
    private AdoptedProcess? TryAdopt(string name, JournalEntry entry, bool alive)
    {
        if (keeper is null || !OperatingSystem.IsLinux()) return null;
        if (!keeper.Handed.TryGetValue(entry.Pid, out var held) || (held.StartTimeTicks != 0 && held.StartTimeTicks != entry.StartTimeTicks)) return null;
        if (!alive && held.ExitCode is null) return null; // gone, and not reaped by the keeper: not ours to explain
        var stdout = keeper.OpenHeld(held.OutFd);
        var stderr = stdout is null ? null : keeper.OpenHeld(held.ErrFd);
        if (stdout is null || stderr is null)
        {
            stdout?.Dispose();
            log.LogWarning("{App}: the keeper's pipes of pid {Pid} could not be opened", name, entry.Pid);
            return null;
        }

        KeeperLink.Remember(entry.Pid, entry.StartTimeTicks, stdout, stderr); // for a new keeper, should this one die
        var startedAt = StartTimeOf(entry.StartTimeTicks);
        var exitCode = held.ExitCode is int code ? Task.FromResult(code) : WatchExitAsync(entry.Pid, keeper);
        log.LogInformation(held.ExitCode is int c
                ? "{App}: pid {Pid} ended while no daemon ran ({Exit}); draining its output the keeper held"
                : "{App}: adopted pid {Pid} from the previous daemon (its keeper held the output); started {Started:u}",
            name, entry.Pid, held.ExitCode is int x ? new ChildExit(x, startedAt, TimeSpan.Zero).Describe() : startedAt, startedAt);
        return new AdoptedProcess(entry.Pid, startedAt, stdout, stderr, exitCode);
    }

    /// <summary>Not our child: its pidfd says when it ends, the keeper (its parent now) says how.</summary>
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    private static async Task<int> WatchExitAsync(int pid, KeeperLink keeper)
    {
        try { await ChildReaper.Shared.WatchAsync(pid); }
        catch (SupException) { } // already gone: pidfd_open said ESRCH
        return await keeper.ExitCodeAsync(pid, ExitReportWait);
    }

    private DateTimeOffset StartTimeOf(ulong startTimeTicks)
    {
        var perSecond = (ulong)Math.Max(1, control.TicksPerSecond);
        if (startTimeTicks == 0 || control.BootTimeUnixSeconds == 0) return time.GetUtcNow();
        return DateTimeOffset.FromUnixTimeSeconds(control.BootTimeUnixSeconds)
            .AddTicks((long)(startTimeTicks / perSecond * TimeSpan.TicksPerSecond + startTimeTicks % perSecond * TimeSpan.TicksPerSecond / perSecond));
    }

    private string PidFileFor(AppSpec spec) => spec.PidFile ?? Path.Combine(paths.PidsDir, AppNames.FileSafe(spec.Name) + ".pid");

    private static void TryDeletePidFile(string pidFile, int pid)
    {
        try
        {
            if (PidFile.TryRead(pidFile) == pid) PidFile.Delete(pidFile);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or SupException) { }
    }

    private static async Task StopOrphanAsync(ProcessTreeStopper stopper, int pid, string pidFile, CancellationToken cancellationToken)
    {
        // Not our child: no exit to await, so "exited" is the pid disappearing.
        await stopper.StopAsync(pid, Task.CompletedTask, Signals.SIGTERM, TimeSpan.FromSeconds(5), cancellationToken);
        TryDeletePidFile(pidFile, pid);
    }
}
