using Supervisor.Core.Platform;
using System.Text;

namespace Supervisor.Core.Rpc;

public sealed partial class RpcServer
{
    /// <summary>
    /// The pipe path for a SUP_HOME: <c>$SUP_HOME/sup.sock</c>, or, when that is longer than a
    /// Unix socket path may be, <c>$XDG_RUNTIME_DIR/sup-HASH.sock</c> (<c>/tmp/sup-UID/sup-HASH.sock</c>
    /// without XDG_RUNTIME_DIR), with a <paramref name="notice"/> for the user saying so.
    /// On Windows, a pipe name <c>sup-HASH</c>.
    /// </summary>
    public static string ResolveSocketPath(string supHome, out string? notice) =>
        ResolveSocketPath(
            supHome,
            Environment.GetEnvironmentVariable("XDG_RUNTIME_DIR"),
            () => UnixPeerCredentials.EffectiveUserId,
            out notice,
            SecureDirectory.RequirePrivate);

    /// <param name="requirePrivate">Checks (or makes) the /tmp/sup-UID fallback folder: it is in a shared place.</param>
    internal static string ResolveSocketPath(string supHome, string? runtimeDirectory, Func<uint> userId, out string? notice,
        Action<string>? requirePrivate = null)
    {
        notice = null;
        string home = Path.TrimEndingDirectorySeparator(Path.GetFullPath(supHome));
        string hash = ShortHash(home);
        if (OperatingSystem.IsWindows())
        {
            // A Windows pipe name may not contain backslashes, so it cannot be a path.
            return $"sup-{hash}";
        }

        string preferred = Path.Combine(home, "sup.sock");
        if (FitsInSocketAddress(preferred))
        {
            return preferred;
        }

        string directory = string.IsNullOrEmpty(runtimeDirectory)
            ? Path.Combine(Path.GetTempPath(), $"sup-{userId()}")
            : runtimeDirectory;
        string fallback = Path.Combine(directory, $"sup-{hash}.sock");
        if (!FitsInSocketAddress(fallback))
        {
            throw new SupException(SupError.InvalidConfig,
                $"The socket path '{preferred}' is longer than a Unix socket path may be ({MaxSocketPathBytes} bytes), and so is '{fallback}'. Use a shorter SUP_HOME.");
        }

        if (string.IsNullOrEmpty(runtimeDirectory))
        {
            // Another user may have made /tmp/sup-UID first (mode 777) and could then delete the socket.
            requirePrivate?.Invoke(directory);
        }

        notice = $"SUP_HOME is too deep for a Unix socket path ({MaxSocketPathBytes} bytes at most), so the daemon's socket is '{fallback}' instead of '{preferred}'.";
        return fallback;
    }

    /// <summary>sockaddr_un.sun_path holds 108 bytes on Linux and 104 on macOS, including the terminating NUL.</summary>
    internal static int MaxSocketPathBytes => OperatingSystem.IsLinux() ? 107 : 103;

    private static bool FitsInSocketAddress(string path) => Encoding.UTF8.GetByteCount(path) <= MaxSocketPathBytes;

    /// <summary>FNV-1a: stable across processes and runs (string.GetHashCode is not), and loads no crypto library.</summary>
    private static string ShortHash(string text)
    {
        ulong hash = 14695981039346656037;
        foreach (byte b in Encoding.UTF8.GetBytes(text))
        {
            hash = (hash ^ b) * 1099511628211;
        }

        return (hash & 0xFFFF_FFFF_FFFF).ToString("x12");
    }
}
