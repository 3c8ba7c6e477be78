using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using System.Text;
using Supervisor.Core.Daemon;
using Supervisor.Core.Platform;

namespace Supervisor.Core.Keeper;

/// <summary>
/// `sup keeper`: the small parent that outlives its daemon. It is a child subreaper, so the apps
/// of a daemon that dies (SIGKILL, OOM, a bug) re-parent to it instead of init; it holds a read
/// end of every app's stdout and stderr pipe, so writers block instead of dying of EPIPE while no
/// daemon reads; it reaps and records the exit of any app that ends meanwhile; and it starts a new
/// daemon at once, handing it the pipes (see <see cref="KeeperMessage"/>), which adopts the apps.
/// </summary>
/// <remarks>
/// It never uses System.Diagnostics.Process (the daemon is started with posix_spawn), so the
/// runtime tracks no child here and waitpid(-1) cannot take one from it (dotnet/runtime#33297).
/// It stays out of everything else too (no logging framework, no RPC, no config) to stay small.
/// A daemon that exits 0 was stopped on purpose (`sup kill`, SIGTERM): the keeper exits with it.
/// </remarks>
[SupportedOSPlatform("linux")]
public sealed class KeeperProcess(SupPaths paths, string fileName, IReadOnlyList<string> daemonArguments)
{
    /// <summary>Daemons in a row that die before they serve (a broken binary, a bad home): then the keeper gives up.</summary>
    private const int MaxFastDeaths = 5;

    private readonly Dictionary<int, HeldApp> _held = [];
    private int _daemonPid = -1;
    private int? _daemonExit;
    private bool _stopping;
    private bool _served;
    private bool _replacing;
    private KeeperSocket? _socket;

    /// <summary>
    /// The running daemon this keeper was started by, to keep instead of starting one (a daemon
    /// whose keeper died starts a new keeper: KeeperRespawner); null for a keeper that starts its daemon.
    /// </summary>
    private (int Pid, ulong Start, int Fd)? _adopt = AdoptFromEnvironment();

    /// <summary>Not this keeper's child, so its exit status is not ours to see.</summary>
    private const int UnseenExit = -1;

    private static (int Pid, ulong Start, int Fd)? AdoptFromEnvironment()
    {
        var fdText = Environment.GetEnvironmentVariable(KeeperMessage.AdoptFdVariable);
        var pidText = Environment.GetEnvironmentVariable(KeeperMessage.AdoptPidVariable);
        // Not passed on to the daemons this keeper starts (they get their own variables).
        Environment.SetEnvironmentVariable(KeeperMessage.AdoptFdVariable, null);
        Environment.SetEnvironmentVariable(KeeperMessage.AdoptPidVariable, null);
        if (!int.TryParse(fdText, NumberStyles.None, CultureInfo.InvariantCulture, out var fd)
            || !int.TryParse(pidText, NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            return null;
        Libc.Fcntl(fd, Libc.F_SETFD, Libc.FD_CLOEXEC);
        Span<byte> buffer = stackalloc byte[ProcFs.StatBufferSize];
        return ProcFs.TryReadStat(pid, buffer, out var stat) ? (pid, stat.StartTimeTicks, fd) : (pid, 0UL, fd);
    }

    public static string PidFileOf(SupPaths paths) => paths.KeeperPidFile;
    private static string LockFileOf(SupPaths paths) => paths.KeeperLockFile;

    public int Run()
    {
        SecureDirectory.Create(paths.Home);
        FileStream keeperLock;
        try
        {
            keeperLock = new FileStream(LockFileOf(paths), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            Log("another keeper runs for this SUP_HOME; leaving it be");
            return 0;
        }

        using (keeperLock)
        {
            if (Libc.Prctl(Libc.PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0)
                Log($"prctl(PR_SET_CHILD_SUBREAPER) failed ({Marshal.GetLastPInvokeError()}): apps of a dead daemon will re-parent to init");
            AtomicFile.WriteAllText(PidFileOf(paths), Environment.ProcessId + "\n", durable: false);
            try { return Keep(); }
            finally
            {
                foreach (var held in _held.Values) held.Close();
                try { File.Delete(PidFileOf(paths)); } catch (IOException) { }
            }
        }
    }

    private int Keep()
    {
        var fastDeaths = 0;
        while (true)
        {
            var started = Stopwatch.GetTimestamp();
            int code;
            if (_adopt is { } adopt)
            {
                _adopt = null;
                KeepRunningDaemon(adopt.Pid, adopt.Fd);
                Serve();
                code = WaitForRunningDaemon(adopt.Pid, adopt.Start);
            }
            else
            {
                if (StartDaemon()) Serve();
                code = WaitForDaemon();
            }
            var lived = Stopwatch.GetElapsedTime(started);
            if (code == 0 || _stopping)
            {
                Log($"daemon pid {_daemonPid} stopped ({Describe(code)}); the keeper exits with it");
                return 0;
            }
            if (code == KeeperMessage.ReplaceMe || _replacing)
            {
                Log($"daemon pid {_daemonPid} asked to be replaced; starting the sup now on disk");
                fastDeaths = 0;
                continue;
            }

            // A daemon that served and then died (SIGKILL, OOM) is replaced at once, every time;
            // one that dies before it serves is a crash loop, retried with a doubling delay.
            fastDeaths = _served ? 0 : fastDeaths + 1;
            if (fastDeaths > MaxFastDeaths)
            {
                Log($"the daemon died {fastDeaths} times in a row before it could serve; giving up (see daemon.log and daemon.out)");
                return 1;
            }
            var delay = fastDeaths <= 1 ? TimeSpan.Zero : TimeSpan.FromMilliseconds(100 << (fastDeaths - 1));
            Log($"daemon pid {_daemonPid} died ({Describe(code)}) after {lived.TotalSeconds:0.0} s; starting a new one"
                + (delay > TimeSpan.Zero ? $" in {delay.TotalMilliseconds:0} ms" : "")
                + $"; holding the output of {_held.Count} app(s)");
            SleepReaping(delay);
        }
    }

    /// <summary>The daemon that started this keeper: it sends a "hold" per running app, then "handed".</summary>
    private void KeepRunningDaemon(int pid, int fd)
    {
        _daemonPid = pid;
        _daemonExit = null;
        _stopping = false;
        _replacing = false;
        _served = true; // it served before its keeper died
        _socket = new KeeperSocket(fd);
        Log($"started by daemon pid {pid}, whose keeper was lost; keeping it");
    }

    /// <summary>After its socket closed: until the daemon (not our child) is gone; its exit status is its parent's.</summary>
    private int WaitForRunningDaemon(int pid, ulong start)
    {
        Span<byte> buffer = stackalloc byte[ProcFs.StatBufferSize];
        while (ProcFs.TryReadStat(pid, buffer, out var stat) && !stat.HasExited && (start == 0 || stat.StartTimeTicks == start))
        {
            ReapAll();
            Thread.Sleep(5);
        }
        return UnseenExit;
    }

    private bool StartDaemon()
    {
        var (mine, theirs) = KeeperSocket.CreatePair();
        var asFd = theirs == 3 ? 4 : 3;
        _daemonExit = null;
        _stopping = false;
        _replacing = false;
        _served = false;
        try
        {
            _daemonPid = SessionSpawn.StartWithDescriptor(fileName, daemonArguments, new Dictionary<string, string>
            {
                ["SUP_HOME"] = paths.Home,
                [KeeperMessage.FdVariable] = asFd.ToString(CultureInfo.InvariantCulture),
                [KeeperMessage.PidVariable] = Environment.ProcessId.ToString(CultureInfo.InvariantCulture),
            }, theirs, asFd);
        }
        catch (SupException ex)
        {
            Log(ex.Message);
            Libc.Close(mine);
            _daemonPid = -1;
            _daemonExit = 127;
            return false;
        }
        finally
        {
            Libc.Close(theirs);
        }

        _socket = new KeeperSocket(mine);
        foreach (var (pid, held) in _held)
            if (held.Out >= 0) _socket.Send(KeeperMessage.Held(pid, held.Start, held.Out, held.Err, held.Exit));
        foreach (var (pid, start) in UnheldChildren())
            _socket.Send(KeeperMessage.Orphan(pid, start));
        _socket.Send(KeeperMessage.Ready);
        return true;
    }

    /// <summary>
    /// Children of the keeper leading their own session, as apps do, whose pipes it does not
    /// hold: spawned by a daemon killed before it could say "hold" (during a `sup start` of many
    /// apps), or an app's descendant that left for its own session and was orphaned. Nobody reads
    /// them; the next daemon stops them.
    /// </summary>
    private List<(int Pid, ulong Start)> UnheldChildren()
    {
        var found = new List<(int, ulong)>();
        Span<byte> buffer = stackalloc byte[ProcFs.StatBufferSize];
        foreach (var pid in ProcFs.EnumeratePids())
        {
            if (pid == _daemonPid || _held.ContainsKey(pid) || !ProcFs.TryReadStat(pid, buffer, out var stat)) continue;
            if (stat.ParentPid == Environment.ProcessId && stat.SessionId == pid && !stat.HasExited)
                found.Add((pid, stat.StartTimeTicks));
        }
        return found;
    }

    /// <summary>Until the daemon's end of the socket closes (it died or exited): its messages, and reaping.</summary>
    private void Serve()
    {
        var socket = _socket!;
        while (true)
        {
            if (socket.WaitReadable(200))
            {
                var lines = socket.ReadLines();
                if (lines is null) break;
                foreach (var line in lines) Handle(line);
            }
            ReapAll();
        }
        socket.Dispose();
        _socket = null;
    }

    private void Handle(string line)
    {
        switch (KeeperMessage.Parse(line))
        {
            case ("hold", [long pid, long start, long outFd, long outPipe, long errFd, long errPipe]):
                Forget((int)pid);
                var o = ProcPipe.Open(_daemonPid, (int)outFd, (ulong)outPipe, blocking: false);
                var e = o < 0 ? -1 : ProcPipe.Open(_daemonPid, (int)errFd, (ulong)errPipe, blocking: false);
                if (e < 0)
                {
                    if (o >= 0) Libc.Close(o);
                    Log($"could not hold the output pipes of pid {pid}: gone before the keeper opened them");
                    return;
                }
                _held[(int)pid] = new HeldApp((ulong)start, o, e);
                break;
            case ("serving", []):
                _served = true;
                break;
            case ("stopping", []):
                _stopping = true;
                break;
            case ("replacing", []):
                _replacing = true;
                break;
            case ("handed", []):
                _socket?.Send(KeeperMessage.Holding(_held.Count(h => h.Value.Out >= 0)));
                break;
            case ("drop", [long pid]):
                // The output can end before the keeper reaps an adopted app: an app that is our
                // child stays known (pipes closed) until reaped, so its exit still reaches the daemon.
                if (_held.TryGetValue((int)pid, out var dropped))
                {
                    dropped.Close();
                    if (ProcessControl.Current.TryGetInfo((int)pid)?.ParentPid != Environment.ProcessId) _held.Remove((int)pid);
                }
                break;
            default:
                Log($"ignored a malformed message from the daemon: '{line}'");
                break;
        }
    }

    private void Forget(int pid)
    {
        if (_held.Remove(pid, out var held)) held.Close();
    }

    private unsafe void ReapAll()
    {
        while (true)
        {
            int status;
            var pid = Libc.WaitPid(-1, &status, Libc.WNOHANG);
            if (pid <= 0) return;
            var code = Libc.ExitCode(status);
            if (pid == _daemonPid)
                _daemonExit = code;
            else if (_held.TryGetValue(pid, out var held))
            {
                held.Exit = code;
                if (held.Out < 0) _held.Remove(pid); // drained already: nothing left to hand over
                if (_socket?.Send(KeeperMessage.Exit(pid, code)) != true)
                    Log($"app pid {pid} exited ({Describe(code)}) while no daemon ran; recorded for the next one");
            }
        }
    }

    private int WaitForDaemon()
    {
        // The socket closes as the daemon exits, a moment before it becomes a zombie.
        while (_daemonExit is null)
        {
            ReapAll();
            if (_daemonExit is null) Thread.Sleep(5);
        }
        return _daemonExit.Value;
    }

    private void SleepReaping(TimeSpan delay)
    {
        var until = Stopwatch.GetTimestamp() + (long)(delay.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < until)
        {
            ReapAll();
            Thread.Sleep(50);
        }
    }

    private static string Describe(int code) =>
        code == UnseenExit ? "its exit status went to its own parent" :
        code > 128 && code < 128 + 65 ? $"{Signals.Name(code - 128)}" : $"exit code {code}";

    private static unsafe void Log(string message)
    {
        var bytes = Encoding.UTF8.GetBytes(
            DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture) + $" keeper[{Environment.ProcessId}]: {message}\n");
        fixed (byte* p = bytes) Libc.Write(2, p, bytes.Length);
    }

    private sealed class HeldApp(ulong start, int outFd, int errFd)
    {
        public ulong Start { get; } = start;
        public int Out { get; private set; } = outFd;
        public int Err { get; private set; } = errFd;
        public int? Exit { get; set; }

        public void Close()
        {
            if (Out < 0) return;
            Libc.Close(Out);
            Libc.Close(Err);
            Out = Err = -1;
        }
    }
}
