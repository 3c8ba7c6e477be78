using System.Globalization;
using System.IO.Enumeration;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using System.Text.Unicode;

namespace Supervisor.Core.Platform;

/// <summary>Reads Linux <c>/proc</c> (proc(5)). A process may vanish between any two reads: gone is null/false.</summary>
[SupportedOSPlatform("linux")]
internal static class ProcFs
{
    /// <summary>Large enough for any stat line (52 numbers and a command of at most 64 bytes).</summary>
    public const int StatBufferSize = 2048;

    /// <summary>
    /// The variables of /proc/PID/environ (the environment the process was exec'd with) whose names
    /// start with <paramref name="prefix"/>; empty when the process is gone or not ours to read.
    /// </summary>
    public static Dictionary<string, string> ReadEnvironment(int pid, string prefix)
    {
        var found = new Dictionary<string, string>(StringComparer.Ordinal);
        byte[] environ;
        try { environ = File.ReadAllBytes($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/environ"); }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { return found; }

        var start = System.Text.Encoding.UTF8.GetBytes(prefix);
        foreach (var range in environ.AsSpan().Split((byte)0))
        {
            var entry = environ.AsSpan(range);
            var equals = entry.IndexOf((byte)'=');
            if (equals <= 0 || !entry.StartsWith(start)) continue;
            found[System.Text.Encoding.UTF8.GetString(entry[..equals])] = System.Text.Encoding.UTF8.GetString(entry[(equals + 1)..]);
        }
        return found;
    }

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
    public static bool TryReadStat(int pid, Span<byte> buffer, out ProcStat stat) => TryReadStat(pid, buffer, out stat, out _);

    /// <param name="errno">
    /// Why the file could not be read: 0 when it was, ENOENT or ESRCH when the process is gone, and
    /// anything else (EMFILE under a low `ulimit -n`, ENFILE, ENOMEM) when the answer is unknown.
    /// </param>
    public static bool TryReadStat(int pid, Span<byte> buffer, out ProcStat stat, out int errno)
    {
        stat = default;
        return TryReadStatText(pid, buffer, out var length, out errno) && ProcStat.TryParse(buffer[..length], out stat);
    }

    /// <summary>Whether a failed /proc read means "gone" (true) rather than "could not look" (false).</summary>
    public static bool MeansGone(int errno) => errno is 0 or Libc.ENOENT or Libc.ESRCH;

    /// <summary>Reads /proc/PID/stat into <paramref name="buffer"/>; false when the process is gone.</summary>
    /// <remarks>
    /// Straight open/read/close: File.OpenHandle adds fstat and two flock calls per file and a path
    /// string, and a sample reads one file per process on the machine.
    /// </remarks>
    public static bool TryReadStatText(int pid, Span<byte> buffer, out int length) => TryReadStatText(pid, buffer, out length, out _);

    /// <inheritdoc cref="TryReadStatText(int, Span{byte}, out int)"/>
    /// <param name="errno">As for <see cref="TryReadStat(int, Span{byte}, out ProcStat, out int)"/>.</param>
    public static unsafe bool TryReadStatText(int pid, Span<byte> buffer, out int length, out int errno)
    {
        length = 0;
        errno = 0;
        Span<byte> path = stackalloc byte[32];
        if (!Utf8.TryWrite(path, CultureInfo.InvariantCulture, $"/proc/{pid}/stat\0", out _))
        {
            return false;
        }

        int fd;
        fixed (byte* pathPointer = path)
        {
            fd = Libc.Open(pathPointer, Libc.O_RDONLY | Libc.O_CLOEXEC);
        }

        if (fd < 0)
        {
            errno = Marshal.GetLastPInvokeError();
            return false; // ENOENT: gone (or never was); EMFILE: no descriptor left to look with
        }

        nint read;
        fixed (byte* bufferPointer = buffer)
        {
            do
            {
                // The kernel renders the whole stat line in one read.
                read = Libc.Read(fd, bufferPointer, buffer.Length);
            }
            while (read < 0 && Marshal.GetLastPInvokeError() == Libc.EINTR);
        }

        if (read < 0) errno = Marshal.GetLastPInvokeError();
        _ = Libc.Close(fd);
        length = (int)Math.Max(read, 0);
        return read > 0; // ESRCH when it exited between open and read
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
