using System.Globalization;
using System.Runtime.Versioning;
using Microsoft.Extensions.Logging;
using Supervisor.Core.Daemon;
using Supervisor.Core.Platform;

namespace Supervisor.Core.Keeper;

/// <summary>
/// When this daemon's keeper dies (SIGKILL, OOM), starts a new one (`sup keeper`, the same
/// binary) and hands it a "hold" for every app whose output this daemon reads, so a later daemon
/// death again loses nothing: the new keeper holds the pipes, and starts and hands over to the
/// next daemon as the first one would have.
/// </summary>
/// <remarks>
/// The new keeper is this daemon's child, not its parent, so it is no subreaper of the apps
/// running now: should this daemon die, they re-parent to init (or the next subreaper up), which
/// reaps them. They keep running and writing; the next daemon adopts them through the held
/// pipes and their pidfds, but the exit code of one that ends after that is not known (-1).
/// Apps started by the keeper's own daemons are its descendants again, exit codes and all.
/// </remarks>
[SupportedOSPlatform("linux")]
public sealed class KeeperRespawner(SupPaths paths, string fileName, IReadOnlyList<string> arguments, ILogger log)
{
    /// <summary>How long a new keeper has to say it holds the pipes (it only opens /proc/PID/fd/N per app).</summary>
    private static readonly TimeSpan HandOverWait = TimeSpan.FromSeconds(10);

    /// <summary>When the last new keeper took over, and its pid (null: the first one still keeps this daemon).</summary>
    public (DateTimeOffset At, int Pid)? Restarted { get; private set; }

    /// <summary>Until <paramref name="cancellationToken"/> (the daemon's shutdown): each time the keeper is lost, a new one.</summary>
    public async Task RunAsync(KeeperLink first, TimeProvider time, CancellationToken cancellationToken)
    {
        var link = first;
        while (true)
        {
            await link.Lost.WaitAsync(cancellationToken);
            if (cancellationToken.IsCancellationRequested) return;
            if (Start() is not { } next) return;

            KeeperLink.Current = next;
            var holding = await next.HandOverAsync(HandOverWait);
            if (holding is null)
            {
                log.LogError("the new keeper (pid {Keeper}) did not take over within {Wait} s; this daemon runs on without one (see daemon.out)",
                    next.KeeperPid, HandOverWait.TotalSeconds);
                return;
            }
            next.Serving();
            Restarted = (time.GetUtcNow(), next.KeeperPid);
            log.LogWarning("started a new keeper, pid {Keeper}: it holds the output of {Count} app(s); a daemon death loses nothing again",
                next.KeeperPid, holding);
            if (!ReferenceEquals(link, first)) link.Dispose();
            link = next;
        }
    }

    /// <returns>The link to the new keeper, or null if it could not be started.</returns>
    private KeeperLink? Start()
    {
        int mine, theirs;
        try { (mine, theirs) = KeeperSocket.CreatePair(); }
        catch (IOException ex)
        {
            log.LogError("could not start a new keeper: {Message}", ex.Message);
            return null;
        }
        var asFd = theirs == 3 ? 4 : 3;
        try
        {
            int pid;
            // Under the spawn lock, watched before it is let go: the orphan scan never takes the keeper for an app's orphan.
            lock (ChildReaper.Shared.Spawning)
            {
                pid = SessionSpawn.StartWithDescriptor(fileName, arguments, new Dictionary<string, string>
                {
                    ["SUP_HOME"] = paths.Home,
                    [KeeperMessage.AdoptFdVariable] = asFd.ToString(CultureInfo.InvariantCulture),
                    [KeeperMessage.AdoptPidVariable] = Environment.ProcessId.ToString(CultureInfo.InvariantCulture),
                }, theirs, asFd);
                _ = ChildReaper.Shared.WatchAsync(pid); // reaped when it ends; its end is the link's Lost
            }
            return KeeperLink.ToNewKeeper(mine, pid, log);
        }
        catch (SupException ex)
        {
            Libc.Close(mine);
            log.LogError("could not start a new keeper: {Message}", ex.Message);
            return null;
        }
        finally
        {
            Libc.Close(theirs);
        }
    }
}
