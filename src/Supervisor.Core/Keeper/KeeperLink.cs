using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using Microsoft.Extensions.Logging;
using Microsoft.Win32.SafeHandles;
using Supervisor.Core.Platform;

namespace Supervisor.Core.Keeper;

/// <summary>A pipe pair the keeper held for an app when this daemon started (its descriptor numbers, in the keeper).</summary>
public sealed record HeldPipes(int Pid, ulong StartTimeTicks, int OutFd, int ErrFd, int? ExitCode);

/// <summary>
/// The daemon's side of its keeper (see <see cref="KeeperProcess"/>): what the keeper handed over
/// at start, then "hold" for every app this daemon starts, "drop" once its output is drained,
/// and the exit codes of adopted apps, which are the keeper's children, not ours.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class KeeperLink : IDisposable
{
    private static readonly TimeSpan HandoverTimeout = TimeSpan.FromSeconds(3);

    private readonly KeeperSocket _socket;
    private readonly ILogger _log;
    private readonly ConcurrentDictionary<int, TaskCompletionSource<int>> _exits = new();
    private readonly TaskCompletionSource _lost = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<int> _holding = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private KeeperLink(KeeperSocket socket, int keeperPid, IReadOnlyDictionary<int, HeldPipes> handed, IReadOnlyList<(int Pid, ulong StartTimeTicks)> orphans, ILogger log)
    {
        _socket = socket;
        KeeperPid = keeperPid;
        Handed = handed;
        Orphans = orphans;
        _log = log;
    }

    /// <summary>The link of this daemon, if a keeper started it (read by ChildProcess when it spawns an app).</summary>
    public static KeeperLink? Current { get; set; }

    public int KeeperPid { get; }

    /// <summary>What the keeper held when this daemon started, by app pid.</summary>
    public IReadOnlyDictionary<int, HeldPipes> Handed { get; }

    /// <summary>Session leaders re-parented to the keeper whose output nobody holds (see KeeperProcess.UnheldChildren).</summary>
    public IReadOnlyList<(int Pid, ulong StartTimeTicks)> Orphans { get; }

    /// <summary>Completes when the keeper is gone: apps run on, but a daemon death would now lose them.</summary>
    public Task Lost => _lost.Task;

    /// <summary>
    /// The link to the keeper that started this daemon (SUP_KEEPER_FD), after its handover; null
    /// when none did (`sup daemon` in a terminal, the boot unit) or the keeper is already gone.
    /// The variables are removed, and the descriptor made close-on-exec, so no app inherits them.
    /// </summary>
    public static KeeperLink? FromEnvironment(ILogger log)
    {
        var fdText = Environment.GetEnvironmentVariable(KeeperMessage.FdVariable);
        var pidText = Environment.GetEnvironmentVariable(KeeperMessage.PidVariable);
        Environment.SetEnvironmentVariable(KeeperMessage.FdVariable, null);
        Environment.SetEnvironmentVariable(KeeperMessage.PidVariable, null);
        if (!int.TryParse(fdText, NumberStyles.None, CultureInfo.InvariantCulture, out var fd)
            || !int.TryParse(pidText, NumberStyles.None, CultureInfo.InvariantCulture, out var keeperPid))
            return null;
        Libc.Fcntl(fd, Libc.F_SETFD, Libc.FD_CLOEXEC);

        var socket = new KeeperSocket(fd);
        var handed = new Dictionary<int, HeldPipes>();
        var orphans = new List<(int, ulong)>();
        var deadline = DateTime.UtcNow + HandoverTimeout;
        var pending = new List<string>();
        while (true)
        {
            var left = (int)Math.Max(0, (deadline - DateTime.UtcNow).TotalMilliseconds);
            if (left == 0 || !socket.WaitReadable(left) || socket.ReadLines() is not { } lines)
            {
                log.LogWarning("the keeper (pid {Keeper}) did not hand over within {Timeout} s; running without one", keeperPid, HandoverTimeout.TotalSeconds);
                socket.Dispose();
                return null;
            }
            var ready = false;
            foreach (var line in lines)
            {
                if (ready) { pending.Add(line); continue; }
                switch (KeeperMessage.Parse(line))
                {
                    case ("held", [long pid, long start, long outFd, long errFd, var exit]):
                        handed[(int)pid] = new HeldPipes((int)pid, (ulong)start, (int)outFd, (int)errFd, (int?)exit);
                        break;
                    case ("orphan", [long pid, long start]):
                        orphans.Add(((int)pid, (ulong)start));
                        break;
                    case ("ready", []):
                        ready = true;
                        break;
                }
            }
            if (ready) break;
        }

        var link = new KeeperLink(socket, keeperPid, handed, orphans, log);
        foreach (var line in pending) link.Handle(line);
        new Thread(link.ReadLoop) { IsBackground = true, Name = "sup keeper link" }.Start();
        log.LogInformation("supervised by keeper pid {Keeper}; it held the output of {Count} app(s)", keeperPid, handed.Count);
        return link;
    }

    /// <summary>An app this daemon just spawned: the keeper takes a read end of each pipe (before the PID file is written).</summary>
    public void Hold(SpawnedChild child)
    {
        var start = ProcessControl.Current.TryGetInfo(child.Pid)?.StartTimeTicks ?? 0;
        Hold(child.Pid, start, child.Stdout, child.Stderr);
    }

    private void Hold(int pid, ulong startTimeTicks, SafeHandle stdout, SafeHandle stderr)
    {
        if (Remember(pid, startTimeTicks, stdout, stderr) is { } entry) Send(entry.HoldLine);
    }

    /// <summary>
    /// An app's pipes this daemon reads (spawned, or adopted from what the keeper held), kept in
    /// <see cref="HeldOutputs"/> for a new keeper should this one die.
    /// </summary>
    public static HeldOutputs.Entry? Remember(int pid, ulong startTimeTicks, SafeHandle stdout, SafeHandle stderr)
    {
        var outFd = (int)stdout.DangerousGetHandle();
        var errFd = (int)stderr.DangerousGetHandle();
        if (ProcPipe.InodeOf(outFd) is not ulong outPipe || ProcPipe.InodeOf(errFd) is not ulong errPipe) return null;
        var entry = new HeldOutputs.Entry(pid, startTimeTicks, outFd, outPipe, errFd, errPipe);
        HeldOutputs.Add(entry);
        return entry;
    }

    /// <summary>
    /// Once the app's output is drained (EOF on both pipes), the keeper lets go of them: the keeper
    /// of that moment, which is a new one if the first died meanwhile.
    /// </summary>
    public void DropWhenClosed(int pid, Task outputClosed) =>
        outputClosed.ContinueWith((_, p) =>
        {
            HeldOutputs.Remove((int)p!);
            (Current ?? this).Send(KeeperMessage.Drop((int)p!));
        }, pid, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

    /// <summary>Opens a read end of a pipe the keeper holds (descriptor <paramref name="keeperFd"/> there).</summary>
    public SafePipeHandle? OpenHeld(int keeperFd)
    {
        var fd = ProcPipe.Open(KeeperPid, keeperFd, 0, blocking: true);
        return fd < 0 ? null : new SafePipeHandle(fd, ownsHandle: true);
    }

    /// <summary>This daemon serves: should it die from now on, that is no crash loop.</summary>
    public void Serving() => Send(KeeperMessage.Serving);

    /// <summary>A shutdown has begun: the keeper exits after this daemon instead of starting another.</summary>
    public void Stopping() => Send(KeeperMessage.Stopping);

    /// <summary>`sup update`: this daemon exits to be replaced; the keeper starts the sup on disk.</summary>
    public void Replacing() => Send(KeeperMessage.Replacing);

    /// <summary>
    /// The link to a keeper this daemon started because its first keeper died (KeeperRespawner):
    /// it hands nothing over; it is handed the pipes instead (<see cref="HandOverAsync"/>).
    /// </summary>
    public static KeeperLink ToNewKeeper(int fd, int keeperPid, ILogger log)
    {
        var link = new KeeperLink(new KeeperSocket(fd), keeperPid, new Dictionary<int, HeldPipes>(), [], log);
        new Thread(link.ReadLoop) { IsBackground = true, Name = "sup keeper link" }.Start();
        return link;
    }

    /// <summary>
    /// Sends a "hold" for every app whose output this daemon reads, then "handed"; returns how many
    /// the keeper says it holds, or null if it does not answer within <paramref name="wait"/>.
    /// </summary>
    public async Task<int?> HandOverAsync(TimeSpan wait)
    {
        foreach (var entry in HeldOutputs.All) Send(entry.HoldLine);
        Send(KeeperMessage.Handed);
        try
        {
            // A keeper that exits at once (it found another one running) is gone, not slow.
            var first = await Task.WhenAny(_holding.Task, _lost.Task).WaitAsync(wait);
            return first == _holding.Task ? await _holding.Task : null;
        }
        catch (TimeoutException) { return null; }
    }

    /// <summary>Lets the keeper close pipes no app of ours needs (an app the journal does not know).</summary>
    public void Drop(int pid) => Send(KeeperMessage.Drop(pid));

    /// <summary>
    /// The exit code of an adopted app (the keeper reaps it and tells us), or -1 if the keeper does
    /// not say so within <paramref name="wait"/> (it is gone, or the app was not its child).
    /// </summary>
    public async Task<int> ExitCodeAsync(int pid, TimeSpan wait)
    {
        var exit = _exits.GetOrAdd(pid, _ => new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously));
        try { return await exit.Task.WaitAsync(wait); }
        catch (TimeoutException) { return -1; }
        finally { _exits.TryRemove(pid, out _); }
    }

    private void Send(string line)
    {
        if (!_lost.Task.IsCompleted && !_socket.Send(line)) MarkLost();
    }

    private void ReadLoop()
    {
        while (_socket.WaitReadable(-1) && _socket.ReadLines() is { } lines)
            foreach (var line in lines) Handle(line);
        MarkLost();
    }

    private void Handle(string line)
    {
        switch (KeeperMessage.Parse(line))
        {
            case ("exit", [long pid, long code]):
                _exits.GetOrAdd((int)pid, _ => new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously))
                    .TrySetResult((int)code);
                break;
            case ("holding", [long count]):
                _holding.TrySetResult((int)count);
                break;
        }
    }

    private void MarkLost()
    {
        if (!_lost.TrySetResult()) return;
        _log.LogWarning("the keeper (pid {Keeper}) is gone: the apps run on under this daemon, but if it dies now they will be stopped and started again by the next one", KeeperPid);
    }

    public void Dispose() => _socket.Dispose();
}
