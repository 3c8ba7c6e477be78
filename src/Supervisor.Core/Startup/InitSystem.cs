namespace Supervisor.Core.Startup;

/// <summary>What starts the daemon at boot (or login).</summary>
public enum InitSystem { Systemd, Launchd, Windows }

/// <summary>
/// User: the user's own service manager (a systemd user unit, a LaunchAgent, a logon task).
/// System: the machine's, running the daemon as the user (a system unit with User=, a
/// LaunchDaemon with UserName, a boot task); needs root or an administrator.
/// </summary>
public enum StartupScope { User, System }
