using System.Runtime.InteropServices;

namespace Supervisor.Core.Platform;

// Files opened without following a symlink, and what a descriptor is (type, owner, size): the
// guards against log and ecosystem paths that a hostile user aimed elsewhere (issue 14).
internal static partial class Libc
{
    public const int ELOOP = 40;
    public const int ENXIO = 6;

    /// <summary>
    /// O_WRONLY | O_CREAT | O_NOFOLLOW | O_NONBLOCK as Linux numbers them. Not O_APPEND: log
    /// writes are positioned (pwrite), which O_APPEND would silently turn into appends.
    /// O_NONBLOCK only so a FIFO planted at the path fails (ENXIO) instead of blocking; it
    /// changes nothing for a regular file.
    /// </summary>
    public const int LinuxWriteNoFollowFlags = 0x1 | 0x40 | 0x20000 | 0x800;

    /// <summary>O_RDONLY | O_NONBLOCK (Linux): opening a FIFO returns at once instead of waiting for a writer.</summary>
    public const int LinuxReadNonBlockFlags = 0x800;

    public const int AT_EMPTY_PATH = 0x1000;
    public const int AT_SYMLINK_NOFOLLOW = 0x100;
    public const int AT_FDCWD = -100;
    public const int S_IFLNK = 0xA000;
    public const uint STATX_TYPE_MODE_UID_SIZE = 0x1 | 0x2 | 0x8 | 0x200;

    public const int S_IFMT = 0xF000;
    public const int S_IFREG = 0x8000;
    public const int S_IFDIR = 0x4000;
    public const int S_IFIFO = 0x1000;
    public const int S_IFCHR = 0x2000;
    public const int S_IFBLK = 0x6000;
    public const int S_IFSOCK = 0xC000;

    // open(2) with a mode: variadic in its third argument, passed as a fixed int, which is the
    // same on the Linux ABIs we run on (x64, arm64). Not on Apple arm64: Linux only.
    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int OpenWithMode(string path, int flags, int mode);

    // statx(2) (glibc 2.28+): unlike struct stat its layout is the same on every Linux architecture.
    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int StatX(int dirFd, string path, int flags, uint mask, byte* buffer);

    /// <summary>What fstat tells about a descriptor: file type bits (S_IFMT), owner and size.</summary>
    public readonly record struct FileFacts(int Type, uint Uid, long Size, int Permissions = 0)
    {
        public bool IsRegular => Type == S_IFREG;

        public string TypeName => Type switch
        {
            S_IFREG => "regular file",
            S_IFDIR => "folder",
            S_IFIFO => "FIFO (named pipe)",
            S_IFCHR => "character device",
            S_IFBLK => "block device",
            S_IFSOCK => "socket",
            S_IFLNK => "symbolic link",
            _ => "special file",
        };
    }

    /// <summary>fstat through statx(fd, "", AT_EMPTY_PATH) (Linux).</summary>
    /// <returns>False with errno set when the call failed.</returns>
    public static bool TryDescribe(int fd, out FileFacts facts) => TryStatX(fd, "", AT_EMPTY_PATH, out facts);

    /// <summary>lstat through statx (Linux): a symlink is described, not followed.</summary>
    /// <returns>False with errno set when the call failed (ENOENT: nothing there).</returns>
    public static bool TryDescribeLink(string path, out FileFacts facts) => TryStatX(AT_FDCWD, path, AT_SYMLINK_NOFOLLOW, out facts);

    private static unsafe bool TryStatX(int dirFd, string path, int flags, out FileFacts facts)
    {
        // struct statx is 256 bytes: stx_uid at 20, stx_mode (u16) at 28, stx_size at 40.
        var buffer = stackalloc byte[256];
        if (StatX(dirFd, path, flags, STATX_TYPE_MODE_UID_SIZE, buffer) != 0)
        {
            facts = default;
            return false;
        }

        var mode = *(ushort*)(buffer + 28);
        facts = new FileFacts(mode & S_IFMT, *(uint*)(buffer + 20), *(long*)(buffer + 40), mode & 0xFFF);
        return true;
    }
}
