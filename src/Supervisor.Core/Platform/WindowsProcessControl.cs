using System.Diagnostics;
using System.Runtime.Versioning;

namespace Supervisor.Core.Platform;

/// <summary>
/// Windows has no signals, sessions of this kind or /proc: what managed APIs give trivially
/// (liveness, info, SIGKILL as TerminateProcess) works; the rest says plainly it is not supported.
/// Times are in <see cref="TimeSpan"/> ticks counted from the Unix epoch, so
/// <see cref="ProcessControlExtensions.GetStartTime"/> holds unchanged.
/// </summary>
[SupportedOSPlatform("windows")]
internal sealed class WindowsProcessControl : IProcessControl
{
    public bool CanCreateSessions => false;

    public long TicksPerSecond => TimeSpan.TicksPerSecond;

    public long BootTimeUnixSeconds => 0;

    public int CurrentUid => throw NotSupported("User ids");

    public bool Signal(int pid, int signal)
    {
        if (signal != Signals.SIGKILL)
        {
            throw NotSupported($"Sending {Signals.Name(signal)}");
        }

        using var process = TryOpen(pid);
        if (process is null)
        {
            return false;
        }

        process.Kill();
        return true;
    }

    public bool SignalGroup(int processGroupId, int signal)
    {
        if (signal != Signals.SIGKILL)
        {
            throw NotSupported($"Sending {Signals.Name(signal)} to a process group");
        }

        using var process = TryOpen(processGroupId);
        if (process is null)
        {
            return false;
        }

        process.Kill(entireProcessTree: true);
        return true;
    }

    public bool IsAlive(int pid)
    {
        using var process = TryOpen(pid);
        return process is not null;
    }

    public ProcessInfo? TryGetInfo(int pid)
    {
        using var process = TryOpen(pid);
        if (process is null)
        {
            return null;
        }

        try
        {
            var start = (ulong)(process.StartTime.ToUniversalTime() - DateTime.UnixEpoch).Ticks;
            return new ProcessInfo(pid, 0, 0, 0, start, (ulong)process.TotalProcessorTime.Ticks,
                process.WorkingSet64, process.ProcessName);
        }
        catch (InvalidOperationException)
        {
            return null; // exited meanwhile
        }
    }

    public IReadOnlyList<int> GetProcessTree(int rootPid) =>
        rootPid != Environment.ProcessId && IsAlive(rootPid) ? [rootPid] : [];

    public ProcessStartWrapper WrapForNewSession(string fileName, IReadOnlyList<string> arguments) =>
        new(fileName, [.. arguments]);

    private static Process? TryOpen(int pid)
    {
        try
        {
            var process = Process.GetProcessById(pid);
            if (!process.HasExited)
            {
                return process;
            }

            process.Dispose();
            return null;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            return null;
        }
    }

    private static SupException NotSupported(string what) =>
        new(SupError.NotSupported, $"{what} is not supported on Windows. Run sup on Linux or macOS.");
}
