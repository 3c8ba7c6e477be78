namespace Supervisor.Core.Daemon;

/// <summary>
/// One daemon per SUP_HOME. The socket cannot guard this (a second server silently steals the
/// path), so an exclusive lock file does: FileShare.None is a cross-process lock on Linux that
/// the kernel releases when the holder dies, even by SIGKILL.
/// </summary>
public sealed class DaemonLock : IDisposable
{
    private readonly FileStream _stream;

    private DaemonLock(FileStream stream) => _stream = stream;

    public static DaemonLock Acquire(SupPaths paths)
    {
        try
        {
            var stream = new FileStream(paths.LockFile, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            return new DaemonLock(stream);
        }
        catch (IOException)
        {
            var pid = ReadPid(paths.PidFile);
            var who = pid is int p ? $"pid {p}" : "another process";
            throw new SupException(SupError.DaemonAlreadyRunning,
                $"A sup daemon is already running for {paths.Home} ({who}). `sup kill` stops it (`sup kill --force` when it cannot be reached).");
        }
    }

    private static int? ReadPid(string path)
    {
        try { return int.TryParse(File.ReadAllText(path).Trim(), out var pid) ? pid : null; }
        catch (IOException) { return null; }
    }

    public void Dispose() => _stream.Dispose();
}
