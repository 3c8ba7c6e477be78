using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using System.Text;
using Microsoft.Extensions.Logging;

namespace Supervisor.Core.Platform;

/// <summary>
/// The daemon as a child subreaper (prctl(PR_SET_CHILD_SUBREAPER)): a process an app double-forks
/// away from its tree (`( setsid sleep 1000 & )`) re-parents to the daemon instead of init, where a
/// stop can still find it. Each adopted orphan is told apart from the apps the daemon started by not
/// being watched by <see cref="ChildReaper"/>, attributed to its app by the SUP_APP_NAME variable
/// every app and its descendants inherit, watched so it is reaped when it exits, and handed to the
/// app's stop (<see cref="Of"/>).
/// </summary>
/// <remarks>
/// Orphans are found by a scan of /proc for children of this process: on SIGCHLD (an orphan that
/// died unseen is then reaped by pid — never waitpid(-1), see PLATFORM-NOTES) and before each stop.
/// Children the daemon starts through System.Diagnostics.Process (CliWrap's notifiers), which the
/// runtime reaps itself, are started through <see cref="RuntimeChildren"/> and skipped here.
/// </remarks>
[SupportedOSPlatform("linux")]
public sealed class AdoptedOrphans : IDisposable
{
    public const string AppVariable = "SUP_APP_NAME";

    private static readonly TimeSpan ScanDebounce = TimeSpan.FromMilliseconds(50);

    private readonly ChildReaper _reaper = ChildReaper.Shared;
    private readonly ILogger _log;
    private readonly Lock _gate = new();
    private readonly Dictionary<int, Adopted> _byPid = [];
    private readonly byte[] _stat = new byte[ProcFs.StatBufferSize];
    private readonly SemaphoreSlim _scanRequested = new(0, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly PosixSignalRegistration _sigchld;

    private AdoptedOrphans(ILogger log)
    {
        _log = log;
        _sigchld = PosixSignalRegistration.Create(PosixSignal.SIGCHLD, _ => RequestScan());
        _ = Task.Run(ScanLoopAsync);
    }

    /// <summary>
    /// Makes this process a child subreaper and starts adopting. Null (and the reason logged) when
    /// the system cannot: then a double-forked process escapes a stop, as before.
    /// </summary>
    public static AdoptedOrphans? TryStart(ILogger log)
    {
        if (!ChildReaper.IsSupported)
        {
            log.LogWarning("not a child subreaper: apps are started through Process.Start here, whose children the runtime reaps itself");
            return null;
        }
        if (Libc.Prctl(Libc.PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0)
        {
            log.LogWarning("not a child subreaper (prctl: {Reason}): a process an app detaches from its tree survives a stop",
                Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError()));
            return null;
        }
        return new AdoptedOrphans(log);
    }

    /// <summary>Whether this process is a child subreaper now.</summary>
    public static unsafe bool IsSubreaper()
    {
        int value = 0;
        return Libc.Prctl(Libc.PR_GET_CHILD_SUBREAPER, &value, 0, 0, 0) == 0 && value != 0;
    }

    /// <summary>The living orphans adopted from <paramref name="app"/>, after a fresh scan.</summary>
    public IReadOnlyList<int> Of(string app)
    {
        Scan();
        lock (_gate) return [.. _byPid.Where(a => a.Value.App == app).Select(a => a.Key)];
    }

    public void RequestScan()
    {
        if (_scanRequested.CurrentCount == 0)
        {
            try { _scanRequested.Release(); } catch (SemaphoreFullException) { }
        }
    }

    private async Task ScanLoopAsync()
    {
        try
        {
            while (true)
            {
                await _scanRequested.WaitAsync(_stop.Token);
                await Task.Delay(ScanDebounce, _stop.Token);
                try { Scan(); }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    _log.LogWarning("looking for adopted orphans failed: {Message}", ex.Message);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>One pass over /proc for children of this process that it did not start.</summary>
    public void Scan()
    {
        var self = Environment.ProcessId;
        lock (_reaper.Spawning)
        lock (_gate)
        {
            foreach (var pid in ProcFs.EnumeratePids())
            {
                if (!ProcFs.TryReadStat(pid, _stat, out var stat) || stat.ParentPid != self || _byPid.ContainsKey(pid)
                    || _reaper.IsWatching(pid) || RuntimeChildren.Contains(pid))
                    continue;

                if (stat.HasExited)
                {
                    _reaper.TryReapUnwatched(pid); // died before it was seen alive
                    continue;
                }

                var app = ReadAppName(pid);
                Task<int> exited;
                try
                {
                    exited = _reaper.WatchAsync(pid);
                }
                catch (SupException ex)
                {
                    _log.LogWarning("adopted pid {Pid} cannot be watched: {Message}", pid, ex.Message);
                    continue;
                }
                _byPid[pid] = new Adopted(app);
                _log.LogInformation("adopted orphan pid {Pid} of {App}", pid, app ?? "no app (its SUP_APP_NAME is gone)");
                _ = exited.ContinueWith(code =>
                {
                    lock (_gate) _byPid.Remove(pid);
                    _log.LogInformation("adopted orphan pid {Pid} of {App} exited with code {Code}", pid, app ?? "no app", code.Result);
                }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }
        }
    }

    /// <summary>SUP_APP_NAME from /proc/PID/environ (the environment it was exec'd with), or null.</summary>
    private static string? ReadAppName(int pid) => ProcFs.ReadEnvironment(pid, AppVariable).GetValueOrDefault(AppVariable);

    public void Dispose()
    {
        _sigchld.Dispose();
        _stop.Cancel();
    }

    private sealed record Adopted(string? App);
}
