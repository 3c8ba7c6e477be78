using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace Supervisor.Core.Platform;

/// <summary>
/// Signals and liveness through kill(2), shared by Linux and macOS. Without /proc it knows
/// nothing about other processes: no info, and a process tree is just its root.
/// </summary>
[UnsupportedOSPlatform("windows")]
internal class PosixProcessControl : IProcessControl
{
    private static readonly Lazy<string?> SetsidPath = new(SetsidLocator.Find);
    private static readonly Lazy<long> ClockTicks = new(() => Math.Max(1, Libc.SysConf(Libc.SC_CLK_TCK)));

    public bool CanCreateSessions => SetsidPath.Value is not null;

    public long TicksPerSecond => ClockTicks.Value;

    public virtual long BootTimeUnixSeconds => 0;

    public int CurrentUid => (int)Libc.GetEffectiveUid();

    public bool Signal(int pid, int signal)
    {
        // kill(0) and kill(-n) address whole groups: never let a bad pid turn into that.
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(pid);
        return Libc.Kill(pid, signal) == 0 || IsGone(Marshal.GetLastPInvokeError(), signal, $"process {pid}");
    }

    public bool SignalGroup(int processGroupId, int signal)
    {
        // -1 means every process we may signal, 0 our own group.
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(processGroupId, 1);
        return Libc.Kill(-processGroupId, signal) == 0
               || IsGone(Marshal.GetLastPInvokeError(), signal, $"process group {processGroupId}");
    }

    public virtual bool IsAlive(int pid)
    {
        if (pid <= 0)
        {
            return false;
        }

        // EPERM: it exists but belongs to someone else.
        return Libc.Kill(pid, 0) == 0 || Marshal.GetLastPInvokeError() == Libc.EPERM;
    }

    public virtual ProcessInfo? TryGetInfo(int pid) => null;

    public virtual IReadOnlyList<int> GetProcessTree(int rootPid)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rootPid);
        return rootPid != Environment.ProcessId && IsAlive(rootPid) ? [rootPid] : [];
    }

    public ProcessStartWrapper WrapForNewSession(string fileName, IReadOnlyList<string> arguments)
    {
        // A child of Process.Start is not a group leader, so setsid(1) calls setsid() and execs in
        // place: the app keeps the pid Process reports, and leads its own session and group.
        // "--" keeps an app whose name starts with '-' from being read as a setsid option.
        if (SetsidPath.Value is not { } setsid)
        {
            return new ProcessStartWrapper(fileName, [.. arguments]);
        }

        return new ProcessStartWrapper(setsid, ["--", fileName, .. arguments]);
    }

    /// <summary>
    /// False when <paramref name="errno"/> says the target is gone (ESRCH); otherwise throws the
    /// user-facing reason the signal was refused.
    /// </summary>
    private static bool IsGone(int errno, int signal, string target) => errno switch
    {
        Libc.ESRCH => false,
        Libc.EPERM => throw new SupException(SupError.Io,
            $"Not permitted to send {Signals.Name(signal)} to {target}: it belongs to another user. Run sup as that user or as root."),
        Libc.EINVAL => throw new SupException(SupError.BadArgument,
            $"{signal} is not a signal number this system knows. Use a name such as SIGTERM or SIGINT."),
        _ => throw new SupException(SupError.Io,
            $"Sending {Signals.Name(signal)} to {target} failed: {Marshal.GetPInvokeErrorMessage(errno)}."),
    };
}
