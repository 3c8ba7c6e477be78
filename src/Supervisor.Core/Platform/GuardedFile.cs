using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Supervisor.Core.Platform;

/// <summary>
/// Opens files that a hostile user may have put something else in place of (issue 14): a log
/// file is never written through a symlink nor when it belongs to another user, and an input
/// file is opened without blocking on a FIFO and read only when it is a regular file.
/// </summary>
/// <remarks>
/// Linux only; elsewhere these fall back to the plain managed opens. Errors are
/// <see cref="IOException"/>s whose message is a complete sentence naming the path.
/// </remarks>
public static class GuardedFile
{
    /// <summary>
    /// Opens <paramref name="path"/> for writing, creating it (mode 0666 minus umask), without
    /// following a symlink in its last component, and only if it is a regular file owned by the
    /// current user.
    /// </summary>
    /// <exception cref="IOException">The path is a symlink, not a regular file, someone else's, or cannot be opened.</exception>
    public static SafeFileHandle OpenForWriting(string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            return File.OpenHandle(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete, FileOptions.Asynchronous);
        }

        var fd = Libc.OpenWithMode(path, Libc.LinuxWriteNoFollowFlags | Libc.O_CLOEXEC, 0b110_110_110);
        if (fd < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw errno switch
            {
                Libc.ELOOP => new UnsafeFileException($"'{path}' is a symbolic link; sup does not write logs through links (another user could aim it at any file). Remove the link."),
                Libc.ENOENT => new DirectoryNotFoundException($"Could not find a part of the path '{path}'."),
                Libc.ENXIO => new UnsafeFileException($"'{path}' is a FIFO or device, not a regular file; sup writes logs only to regular files."),
                Libc.EPERM or 13 => new UnauthorizedAccessException($"Access to the path '{path}' is denied."),
                _ => new IOException($"Cannot open '{path}': {Marshal.GetPInvokeErrorMessage(errno)}."),
            };
        }

        var handle = new SafeFileHandle(fd, ownsHandle: true);
        try
        {
            var facts = Describe(handle, path);
            if (!facts.IsRegular)
            {
                throw new UnsafeFileException($"'{path}' is a {facts.TypeName}, not a regular file; sup writes logs only to regular files.");
            }

            var me = Libc.GetEffectiveUid();
            if (facts.Uid != me)
            {
                throw new UnsafeFileException($"'{path}' belongs to uid {facts.Uid}, not to this user (uid {me}); sup does not write to another user's file. Remove it or point out_file/error_file elsewhere.");
            }

            return handle;
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Reads a whole text file of at most <paramref name="maxBytes"/> bytes, following symlinks
    /// (the resolved file is what is checked), refusing FIFOs, devices and folders without ever
    /// blocking on them.
    /// </summary>
    /// <exception cref="FileNotFoundException">There is no such file.</exception>
    /// <exception cref="IOException">Not a regular file, too large, or unreadable.</exception>
    public static string ReadAllText(string path, long maxBytes)
    {
        if (!OperatingSystem.IsLinux())
        {
            var info = new FileInfo(path);
            if (info.Exists && info.Length > maxBytes)
            {
                throw new FileTooLargeException(path, info.Length, maxBytes);
            }

            return File.ReadAllText(path);
        }

        var fd = Libc.Open(path, Libc.O_RDONLY | Libc.LinuxReadNonBlockFlags | Libc.O_CLOEXEC);
        if (fd < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw errno switch
            {
                Libc.ENOENT => new FileNotFoundException($"Could not find file '{path}'.", path),
                Libc.ENXIO => new IOException($"'{path}' is a special file (socket or device), not a regular file."),
                Libc.EPERM or 13 => new UnauthorizedAccessException($"Access to the path '{path}' is denied."),
                _ => new IOException($"Cannot open '{path}': {Marshal.GetPInvokeErrorMessage(errno)}."),
            };
        }

        using var handle = new SafeFileHandle(fd, ownsHandle: true);
        var facts = Describe(handle, path);
        if (!facts.IsRegular)
        {
            throw new NotRegularFileException(path, facts.TypeName);
        }

        if (facts.Size > maxBytes)
        {
            throw new FileTooLargeException(path, facts.Size, maxBytes);
        }

        // Read at most one byte past the limit: a file growing meanwhile is refused too.
        var buffer = new byte[checked((int)Math.Min(maxBytes + 1, Math.Max(facts.Size + 1, 4096)))];
        var total = 0;
        while (true)
        {
            if (total == buffer.Length)
            {
                if (total > maxBytes)
                {
                    break;
                }

                Array.Resize(ref buffer, (int)Math.Min(maxBytes + 1, (long)buffer.Length * 2));
            }

            var read = RandomAccess.Read(handle, buffer.AsSpan(total), total);
            if (read == 0)
            {
                break;
            }

            total += read;
        }

        if (total > maxBytes)
        {
            throw new FileTooLargeException(path, total, maxBytes);
        }

        using var stream = new MemoryStream(buffer, 0, total);
        using var reader = new StreamReader(stream, detectEncodingFromByteOrderMarks: true);
        return reader.ReadToEnd();
    }

    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    private static Libc.FileFacts Describe(SafeFileHandle handle, string path)
    {
        if (!Libc.TryDescribe((int)handle.DangerousGetHandle(), out var facts))
        {
            throw new IOException($"Cannot examine '{path}': {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}.");
        }

        return facts;
    }
}

/// <summary>An input file is a FIFO, device, socket or folder: reading it could block forever or never end.</summary>
public sealed class NotRegularFileException(string path, string typeName)
    : IOException($"'{path}' is a {typeName}, not a regular file.")
{
    public string TypeName { get; } = typeName;
}

/// <summary>An input file is larger than the limit for it.</summary>
public sealed class FileTooLargeException(string path, long size, long limit)
    : IOException($"'{path}' is {size} bytes, more than the limit of {limit} bytes.")
{
    public long Size { get; } = size;
    public long Limit { get; } = limit;
}

/// <summary>A file to be written is a symlink, not a regular file, or another user's: refused, not a transient error.</summary>
public sealed class UnsafeFileException(string message) : IOException(message);
