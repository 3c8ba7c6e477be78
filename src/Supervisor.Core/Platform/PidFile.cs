using System.Globalization;
using System.Text;

namespace Supervisor.Core.Platform;

/// <summary>A PID file as PM2 and supervisord write it ("1234\n"), so other tools can read ours.</summary>
public static class PidFile
{
    /// <summary>More than any pid plus whitespace; a bigger file is not a PID file.</summary>
    private const int MaxLength = 64;

    public static void Write(string path, int pid)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(pid);
        // Atomic for readers, not flushed to disk: after a crash or reboot the pid is stale
        // anyway, and two disk flushes per (re)start made starting 100 apps take seconds.
        AtomicFile.WriteAllText(path, pid.ToString(CultureInfo.InvariantCulture) + "\n", durable: false);
    }

    /// <summary>The pid in the file, or null when the file is missing or holds anything but a pid.</summary>
    public static int? TryRead(string path)
    {
        Span<byte> buffer = stackalloc byte[MaxLength + 1];
        int length;
        try
        {
            using var handle = File.OpenHandle(path);
            length = RandomAccess.Read(handle, buffer, 0);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }

        if (length > MaxLength)
        {
            return null;
        }

        var text = Encoding.UTF8.GetString(buffer[..length]).Trim();
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && pid > 0 ? pid : null;
    }

    /// <summary>Removes the file; a file (or folder) that is already gone is fine.</summary>
    public static void Delete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (DirectoryNotFoundException)
        {
            // Already gone with its folder.
        }
    }
}
