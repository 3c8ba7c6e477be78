using System.Globalization;
using System.IO.Enumeration;
using System.Runtime.Versioning;
using Microsoft.Win32.SafeHandles;

namespace Supervisor.Core.Platform;

/// <summary>Reads Linux <c>/proc</c> (proc(5)). A process may vanish between any two reads: gone is null/false.</summary>
[SupportedOSPlatform("linux")]
internal static class ProcFs
{
    /// <summary>Large enough for any stat line (52 numbers and a command of at most 64 bytes).</summary>
    public const int StatBufferSize = 2048;

    /// <summary>The pids under /proc, without allocating a string per entry.</summary>
    public static FileSystemEnumerable<int> EnumeratePids() =>
        new("/proc", static (ref FileSystemEntry entry) => ParsePid(entry.FileName), new EnumerationOptions
        {
            RecurseSubdirectories = false,
            IgnoreInaccessible = true,
            AttributesToSkip = 0,
        })
        {
            ShouldIncludePredicate = static (ref FileSystemEntry entry) => entry.IsDirectory && ParsePid(entry.FileName) > 0,
        };

    /// <summary>Reads and parses /proc/PID/stat into <paramref name="buffer"/>; false when the process is gone.</summary>
    public static bool TryReadStat(int pid, byte[] buffer, out ProcStat stat)
    {
        stat = default;
        return TryReadStatText(pid, buffer, out var length) && ProcStat.TryParse(buffer.AsSpan(0, length), out stat);
    }

    /// <summary>Reads /proc/PID/stat into <paramref name="buffer"/>; false when the process is gone.</summary>
    public static bool TryReadStatText(int pid, byte[] buffer, out int length)
    {
        length = 0;
        try
        {
            using SafeFileHandle handle = File.OpenHandle($"/proc/{pid}/stat");
            length = RandomAccess.Read(handle, buffer, 0);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Not found, or ESRCH as an IOException when the process exits between open and read.
            return false;
        }
    }

    /// <summary>The <c>btime</c> line of /proc/stat: boot time in Unix seconds.</summary>
    public static long ReadBootTimeUnixSeconds()
    {
        foreach (var line in File.ReadLines("/proc/stat"))
        {
            if (line.StartsWith("btime ", StringComparison.Ordinal)
                && long.TryParse(line.AsSpan(6), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
            {
                return seconds;
            }
        }

        throw new SupException(SupError.NotSupported, "/proc/stat has no btime line, so process start times cannot be dated. Is /proc mounted?");
    }

    private static int ParsePid(ReadOnlySpan<char> name) =>
        int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : 0;
}
