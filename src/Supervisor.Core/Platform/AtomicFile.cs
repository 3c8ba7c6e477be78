using System.Runtime.InteropServices;
using System.Text;

namespace Supervisor.Core.Platform;

/// <summary>
/// Replaces a file so that a reader, or a crash at any moment, sees the old content or the new,
/// never a torn mix: write a temporary file next to it, flush it to disk, rename it over the target.
/// </summary>
public static class AtomicFile
{
    /// <param name="durable">
    /// Also flush the file and the rename to disk before returning. Each flush costs a disk
    /// round trip (12 ms on average on the benchmark machine, up to 50 ms), so content that is
    /// worthless after a reboot, like a PID file, skips it and stays atomic for readers.
    /// </param>
    public static void WriteAllText(string path, string text, bool durable = true) =>
        WriteAllBytes(path, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(text), durable);

    /// <inheritdoc cref="WriteAllText"/>
    /// <exception cref="IOException">The file could not be written (the inner exception says why); the target is unchanged.</exception>
    public static void WriteAllBytes(string path, ReadOnlySpan<byte> bytes, bool durable = true)
    {
        var fullPath = Path.GetFullPath(path);
        var folder = Path.GetDirectoryName(fullPath) ?? throw new ArgumentException($"'{path}' names no file.", nameof(path));
        // Unique enough with the pid and CreateNew; a crypto RNG here loaded libcrypto and
        // System.Security.Cryptography into the daemon (4.8 MB of its RSS) for nothing.
        var temporary = $"{fullPath}.tmp-{Environment.ProcessId}-{Random.Shared.Next():x8}";
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                stream.Write(bytes);
                stream.Flush(flushToDisk: durable);
            }

            File.Move(temporary, fullPath, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A platform exception, as every Platform type throws: only the daemon/RPC edge turns
            // a failure into a SupException for the user (a SupException here slipped past the
            // state writer's catch and stopped it for good, issue 13).
            TryDelete(temporary);
            throw new IOException($"Could not write '{fullPath}': {e.Message}", e);
        }

        if (durable)
        {
            SyncDirectory(folder);
        }
    }

    /// <summary>
    /// Deletes the temporary files a crash left in <paramref name="folder"/> (<c>NAME.tmp-PID-HEX</c>)
    /// whose writer is gone: they hold whatever was being written — a dump.yaml.tmp has every
    /// app's env with its secrets (issue 14). A temp file of a live process is left alone.
    /// </summary>
    /// <returns>The paths deleted.</returns>
    public static IReadOnlyList<string> DeleteLeftovers(string folder)
    {
        var deleted = new List<string>();
        string[] candidates;
        try
        {
            candidates = Directory.GetFiles(folder, "*.tmp-*");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return deleted;
        }

        foreach (var path in candidates)
        {
            if (TryParseWriter(Path.GetFileName(path), out var pid) && !IsAlive(pid))
            {
                TryDelete(path);
                if (!File.Exists(path)) deleted.Add(path);
            }
        }

        return deleted;
    }

    /// <summary>The writer's pid in <c>NAME.tmp-PID-HEX</c>, the name <see cref="WriteAllBytes"/> gives.</summary>
    internal static bool TryParseWriter(string fileName, out int pid)
    {
        pid = 0;
        var at = fileName.LastIndexOf(".tmp-", StringComparison.Ordinal);
        if (at <= 0) return false;
        var parts = fileName[(at + 5)..].Split('-');
        return parts.Length == 2
            && int.TryParse(parts[0], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out pid)
            && parts[1].Length is > 0 and <= 8 && parts[1].All(char.IsAsciiHexDigitLower);
    }

    private static bool IsAlive(int pid)
    {
        if (pid == Environment.ProcessId) return true;
        if (OperatingSystem.IsWindows()) return false;
        // EPERM: alive but someone else's; only ESRCH means gone.
        return Libc.Kill(pid, 0) == 0 || Marshal.GetLastPInvokeError() != Libc.ESRCH;
    }

    /// <summary>Makes the rename itself durable. Best effort: a failure here loses nothing but durability.</summary>
    private static void SyncDirectory(string folder)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var fd = Libc.Open(folder, Libc.O_RDONLY | Libc.O_CLOEXEC);
        if (fd < 0)
        {
            return;
        }

        _ = Libc.FSync(fd);
        _ = Libc.Close(fd);
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Nothing more to do; the caller learns about the original failure.
        }
    }
}
