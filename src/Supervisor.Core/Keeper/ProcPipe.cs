using System.Globalization;
using System.Runtime.Versioning;
using Supervisor.Core.Platform;

namespace Supervisor.Core.Keeper;

/// <summary>
/// Pipes shared between the daemon and its keeper without SCM_RIGHTS: opening /proc/PID/fd/N of
/// a pipe (same user) gives a new open description of the same pipe (proc(5); the kernel goes
/// through fifo_open). Opened read-only and non-blocking, so it never waits for a writer that is
/// already gone; a reader that never reads is all a writer needs to see no EPIPE.
/// </summary>
[SupportedOSPlatform("linux")]
public static class ProcPipe
{
    /// <summary>The pipe inode behind a descriptor of this process ("pipe:[123]" in /proc/self/fd), or null if it is not a pipe.</summary>
    public static ulong? InodeOf(int fd) => InodeOf(Environment.ProcessId, fd);

    public static ulong? InodeOf(int pid, int fd)
    {
        string? target;
        try { target = new FileInfo($"/proc/{pid}/fd/{fd}").LinkTarget; }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { return null; }
        if (target is null || !target.StartsWith("pipe:[", StringComparison.Ordinal) || !target.EndsWith(']')) return null;
        return ulong.TryParse(target.AsSpan(6, target.Length - 7), NumberStyles.None, CultureInfo.InvariantCulture, out var inode) ? inode : null;
    }

    /// <summary>
    /// Opens descriptor <paramref name="fd"/> of <paramref name="pid"/> as a new read end, only if it
    /// is still pipe <paramref name="inode"/> (0: any pipe). Returns our descriptor (close-on-exec),
    /// or -1 if it is gone or is something else now.
    /// </summary>
    /// <param name="blocking">Clear O_NONBLOCK after the open (for a reader that really reads).</param>
    public static int Open(int pid, int fd, ulong inode, bool blocking)
    {
        var mine = Libc.OpenPath($"/proc/{pid}/fd/{fd}", Libc.O_RDONLY | Libc.O_NONBLOCK | Libc.O_CLOEXEC);
        if (mine < 0) return -1;
        if (InodeOf(mine) is not ulong actual || (inode != 0 && actual != inode))
        {
            Libc.Close(mine);
            return -1;
        }
        if (blocking) Libc.Fcntl(mine, Libc.F_SETFL, Libc.O_RDONLY);
        return mine;
    }
}
