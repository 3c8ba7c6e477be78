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
}
