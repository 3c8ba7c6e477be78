using System.Globalization;
using System.Runtime.Versioning;
using System.Text;

namespace Supervisor.Core.Platform;

/// <summary>
/// What /proc says about processes sup may not have started (proc(5)): their command lines,
/// parents, and which of them listens on a TCP port (/proc/net/tcp and tcp6, then the socket
/// inodes in /proc/PID/fd). A process may vanish between any two reads; another user's fds are
/// unreadable, so a listener may be found with no pid.
/// </summary>
[SupportedOSPlatform("linux")]
internal static class ProcNet
{
    private const string Listen = "0A"; // TCP_LISTEN in include/net/tcp_states.h

    /// <summary>The command line of a live process, its arguments joined by spaces (as `pgrep -f` sees it); null for kernel threads and the gone.</summary>
    public static string? CommandLine(int pid)
    {
        try
        {
            var bytes = File.ReadAllBytes($"/proc/{pid}/cmdline");
            if (bytes.Length == 0) return null;
            return Encoding.UTF8.GetString(bytes).TrimEnd('\0').Replace('\0', ' ');
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>The parent of a live, not exited process; null when it is gone.</summary>
    public static int? ParentOf(int pid, Span<byte> buffer) =>
        ProcFs.TryReadStat(pid, buffer, out var stat) && !stat.HasExited ? stat.ParentPid : null;

    /// <summary>The inodes of sockets listening on <paramref name="port"/>, IPv4 and IPv6.</summary>
    public static HashSet<long> ListeningInodes(int port)
    {
        var inodes = new HashSet<long>();
        foreach (var table in (string[])["/proc/net/tcp", "/proc/net/tcp6"])
        {
            IEnumerable<string> lines;
            try
            {
                lines = File.ReadLines(table).Skip(1).ToList();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue; // no IPv6 on this machine
            }

            foreach (var line in lines)
            {
                if (ParseListener(line) is { } listener && listener.Port == port) inodes.Add(listener.Inode);
            }
        }

        return inodes;
    }

    /// <summary>
    /// One line of /proc/net/tcp: `sl local rem st tx:rx tr:when retrnsmt uid timeout inode ...`,
    /// local as HEXADDR:HEXPORT. Null unless it is a listening socket.
    /// </summary>
    public static (int Port, long Inode)? ParseListener(string line)
    {
        var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length < 10 || fields[3] != Listen) return null;
        var colon = fields[1].LastIndexOf(':');
        if (colon < 0
            || !int.TryParse(fields[1].AsSpan(colon + 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var port)
            || !long.TryParse(fields[9], NumberStyles.None, CultureInfo.InvariantCulture, out var inode)
            || inode == 0)
        {
            return null;
        }

        return (port, inode);
    }

    /// <summary>Whether one of the process's fds is one of the sockets (`socket:[INODE]`).</summary>
    public static bool HoldsSocket(int pid, IReadOnlySet<long> inodes)
    {
        try
        {
            foreach (var fd in Directory.EnumerateFileSystemEntries($"/proc/{pid}/fd"))
            {
                var target = new FileInfo(fd).LinkTarget;
                if (target is not null && target.StartsWith("socket:[", StringComparison.Ordinal)
                    && long.TryParse(target.AsSpan(8, target.Length - 9), NumberStyles.None, CultureInfo.InvariantCulture, out var inode)
                    && inodes.Contains(inode))
                {
                    return true;
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Gone, or another user's: not this one as far as we can tell.
        }

        return false;
    }
}
