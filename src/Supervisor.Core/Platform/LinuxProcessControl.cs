using System.Runtime.Versioning;
using System.Text;

namespace Supervisor.Core.Platform;

/// <summary>POSIX signals plus what /proc tells: process info, trees, start times for identity.</summary>
[SupportedOSPlatform("linux")]
internal sealed class LinuxProcessControl : PosixProcessControl
{
    private static readonly Lazy<long> BootTime = new(ProcFs.ReadBootTimeUnixSeconds);

    public override long BootTimeUnixSeconds => BootTime.Value;

    /// <summary>kill(pid, 0) also succeeds for a zombie; an exited process nobody reaps (orphans under
    /// a PID 1 that does not reap, as in some containers) must not count as alive.</summary>
    public override bool IsAlive(int pid)
    {
        if (!base.IsAlive(pid))
        {
            return false;
        }

        Span<byte> buffer = stackalloc byte[ProcFs.StatBufferSize];
        return ProcFs.TryReadStat(pid, buffer, out var stat)
            ? !stat.HasExited
            : base.IsAlive(pid); // exited in between, or /proc is not readable: kill(2) decides
    }

    public override ProcessInfo? TryGetInfo(int pid)
    {
        if (pid <= 0)
        {
            return null;
        }

        Span<byte> buffer = stackalloc byte[ProcFs.StatBufferSize];
        if (!ProcFs.TryReadStatText(pid, buffer, out var length)
            || !ProcStat.TryParse(buffer[..length], out var stat, out var command))
        {
            return null;
        }

        return new ProcessInfo(stat.Pid, stat.ParentPid, stat.ProcessGroupId, stat.SessionId, stat.StartTimeTicks,
            stat.CpuTicks, stat.RssPages * Environment.SystemPageSize, Encoding.UTF8.GetString(command), stat.State);
    }

    public override IReadOnlyList<int> GetProcessTree(int rootPid)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rootPid);
        var table = new ProcTable();
        try
        {
            table.Refresh();
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException)
        {
            throw new IOException($"/proc could not be listed: {ex.Message}", ex);
        }

        if (table.IncompleteErrno != 0)
        {
            // A tree missing the processes we could not look at would let a stop call an app
            // stopped while they live (issue 14: `sup stop` under `ulimit -n 64`).
            throw new IOException($"/proc could not be read: {System.Runtime.InteropServices.Marshal.GetPInvokeErrorMessage(table.IncompleteErrno)}");
        }

        var indices = new List<int>();
        table.CollectTree(rootPid, indices);
        var pids = new int[indices.Count];
        for (var i = 0; i < pids.Length; i++)
        {
            pids[i] = table[indices[i]].Pid;
        }

        return pids;
    }
}
