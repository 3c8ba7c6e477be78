namespace Supervisor.Core.Platform;

/// <summary>A directory only its owner can enter (0700): the daemon's socket, state and logs live in one.</summary>
public static class SecureDirectory
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>Creates <paramref name="path"/> (and missing parents) with mode 0700, and tightens it if it already exists.</summary>
    public static void Create(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
            return;
        }

        try
        {
            var directory = Directory.CreateDirectory(path, OwnerOnly);
            // An existing directory keeps its mode, and a new one gets umask applied: set it explicitly.
            if (directory.UnixFileMode != OwnerOnly)
            {
                File.SetUnixFileMode(path, OwnerOnly);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new SupException(SupError.Io,
                $"Could not create the private directory '{path}' (mode 0700): {e.Message} Check that it is yours, or choose another location.", e);
        }
    }

    /// <summary>
    /// Makes sure <paramref name="path"/> is a folder only the current user can use: created with
    /// mode 0700 if missing; if it exists, it must be a real folder (not a symlink) owned by the
    /// current user with mode 0700. For folders in a shared place like /tmp, where another user
    /// could have made it first and could then delete or replace what is put in it (issue 14).
    /// </summary>
    /// <exception cref="SupException">It exists and is not private to this user (one line, with the remedy).</exception>
    public static void RequirePrivate(string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            Create(path);
            return;
        }

        if (!Libc.TryDescribeLink(path, out var facts))
        {
            try
            {
                Directory.CreateDirectory(path, OwnerOnly);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new SupException(SupError.Io, $"Could not create the private directory '{path}' (mode 0700): {e.Message}", e);
            }

            // Someone may have made it between the two calls: look again either way.
            if (!Libc.TryDescribeLink(path, out facts))
            {
                throw new SupException(SupError.Io, $"Could not examine the directory '{path}' just created.");
            }
        }

        var me = Libc.GetEffectiveUid();
        var mode = Convert.ToString(facts.Permissions & 0x1FF, 8).PadLeft(4, '0');
        if (facts.Type != Libc.S_IFDIR || facts.Uid != me || (facts.Permissions & 0x1FF) != 0x1C0)
        {
            var what = facts.Type != Libc.S_IFDIR ? $"it is a {facts.TypeName}, not a folder"
                : facts.Uid != me ? $"it belongs to uid {facts.Uid} (mode {mode})"
                : $"its mode is {mode}";
            throw new SupException(SupError.Io,
                $"Refusing the socket folder '{path}': {what}, but it must be yours (uid {me}) with mode 0700, or another user could delete or replace the daemon's socket. Remove it, or set XDG_RUNTIME_DIR or a shorter SUP_HOME.");
        }
    }
}
