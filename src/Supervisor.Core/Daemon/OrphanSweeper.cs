using Microsoft.Extensions.Logging;
using Supervisor.Core.Platform;
using Supervisor.Core.Supervision;

namespace Supervisor.Core.Daemon;

/// <summary>
/// After a daemon dies without stopping its apps (SIGKILL, OOM), their processes live on in
/// their own sessions, with nobody reading their output. At the next start this finds them
/// through the PID files and the identities recorded in state.json (pid + /proc start time, so
/// a reused PID is never mistaken for ours) and stops them with the usual cascade, before
/// anything is started: nothing runs twice. A live PID-file process that is not one we
/// recorded was started outside sup: it is reported once and left alone, and the app of that
/// name refuses to start while it lives.
/// </summary>
public sealed class OrphanSweeper(SupPaths paths, StateStore store, IProcessControl control, TimeProvider time, ILogger log)
{
    public async Task<IReadOnlyDictionary<string, int>> SweepAsync(CancellationToken cancellationToken)
    {
        var foreign = new Dictionary<string, int>();
        var recorded = store.Read(s => new Dictionary<string, RunningIdentity>(s.Running));
        var stopper = new ProcessTreeStopper(control, time);
        var stops = new List<Task>();

        foreach (var pidFile in Directory.EnumerateFiles(paths.PidsDir, "*.pid"))
        {
            var name = Path.GetFileNameWithoutExtension(pidFile);
            if (PidFile.TryRead(pidFile) is not int pid || control.TryGetInfo(pid) is not { IsZombie: false } info)
            {
                PidFile.Delete(pidFile); // stale: the process is gone
                continue;
            }

            if (recorded.TryGetValue(name, out var identity) && identity.Pid == pid && identity.StartTimeTicks == info.StartTimeTicks)
            {
                log.LogWarning("{App}: pid {Pid} outlived the previous daemon; stopping it (tree included) before anything starts", name, pid);
                stops.Add(StopOrphanAsync(stopper, pid, pidFile, cancellationToken));
            }
            else
            {
                log.LogWarning("{App}: pid {Pid} from {PidFile} is running but was not started by this sup; it is left alone and '{App}' will not be started while it runs",
                    name, pid, pidFile, name);
                foreign[name] = pid;
            }
        }

        await Task.WhenAll(stops);
        store.Update(s => s.Running.Clear());
        return foreign;
    }

    private static async Task StopOrphanAsync(ProcessTreeStopper stopper, int pid, string pidFile, CancellationToken cancellationToken)
    {
        // Not our child: no exit to await, so "exited" is the pid disappearing.
        await stopper.StopAsync(pid, Task.CompletedTask, Signals.SIGTERM, TimeSpan.FromSeconds(5), cancellationToken);
        PidFile.Delete(pidFile);
    }
}
