namespace Supervisor.Core.Daemon;

/// <summary>Every file under SUP_HOME, named in one place (SPEC section 1).</summary>
public sealed record SupPaths(string Home)
{
    public static SupPaths FromEnvironment()
    {
        var home = Environment.GetEnvironmentVariable("SUP_HOME");
        if (string.IsNullOrWhiteSpace(home))
            home = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".sup");
        return new SupPaths(Path.GetFullPath(home));
    }

    public string PidFile => Path.Combine(Home, "sup.pid");
    public string LockFile => Path.Combine(Home, "sup.lock");
    public string KeeperPidFile => Path.Combine(Home, "keeper.pid");
    public string KeeperLockFile => Path.Combine(Home, "keeper.lock");
    public string JournalDir => Path.Combine(Home, "journal");
    public string DaemonLog => Path.Combine(Home, "daemon.log");
    /// <summary>Where the daemon's own stdout/stderr go (only the runtime's last words end up here).</summary>
    public string DaemonOut => Path.Combine(Home, "daemon.out");
    public string LogsDir => Path.Combine(Home, "logs");
    public string PidsDir => Path.Combine(Home, "pids");
    public string StateFile => Path.Combine(Home, "state.json");
    public string DumpFile => Path.Combine(Home, "dump.yaml");
    public string DefaultSocket => Path.Combine(Home, "sup.sock");
}
