using System.Globalization;
using System.Text;

namespace Supervisor.Core.Startup;

/// <summary>
/// The systemd unit `sup startup systemd` writes: a user unit (~/.config/systemd/user/sup.service)
/// or, with --system, /etc/systemd/system/sup-USER.service running as that user.
/// </summary>
public static class SystemdUnit
{
    public static string UnitName(StartupSpec spec) =>
        spec.Scope == StartupScope.User ? "sup.service" : $"sup-{spec.UserName}.service";

    public static string UnitPath(StartupSpec spec) =>
        spec.Scope == StartupScope.User
            ? Path.Combine(spec.HomeDirectory, ".config", "systemd", "user", UnitName(spec))
            : Path.Combine("/etc/systemd/system", UnitName(spec));

    /// <summary>systemctl's arguments for this scope, before the verb.</summary>
    public static IReadOnlyList<string> Systemctl(StartupSpec spec) =>
        spec.Scope == StartupScope.User ? ["--user"] : [];

    public static string Render(StartupSpec spec)
    {
        var stopSeconds = ((long)spec.StopTimeout.TotalSeconds).ToString(CultureInfo.InvariantCulture);
        var text = new StringBuilder();
        text.Append("# Written by `sup startup`; `sup unstartup` removes it.\n");
        text.Append("[Unit]\n");
        text.Append("Description=sup process supervisor (SUP_HOME=").Append(Escape(spec.SupHome)).Append(")\n");
        // A user manager cannot order itself after the system's network targets; a system unit can.
        if (spec.Scope == StartupScope.System) text.Append("Wants=network-online.target\nAfter=network-online.target\n");
        text.Append('\n');
        text.Append("[Service]\n");
        // notify: systemd counts the daemon started once it says READY=1, which it does when its
        // socket listens, so units ordered after sup.service find it answering. NotifyAccess=main:
        // the daemon is the unit's main process (no keeper under systemd, which restarts it
        // itself), and no app may speak for sup (the daemon also unsets NOTIFY_SOCKET for them).
        text.Append("Type=notify\n");
        text.Append("NotifyAccess=main\n");
        // The daemon beats WATCHDOG=1 at half this; a hung daemon is killed and restarted.
        text.Append("WatchdogSec=30\n");
        if (spec.Scope == StartupScope.System) text.Append("User=").Append(spec.UserName).Append('\n');
        text.Append("WorkingDirectory=~\n");
        text.Append("Environment=").Append(Quote("SUP_HOME=" + spec.SupHome)).Append('\n');
        if (spec.PathVariable is { Length: > 0 } path) text.Append("Environment=").Append(Quote("PATH=" + path)).Append('\n');
        text.Append("ExecStart=").Append(string.Join(' ', spec.DaemonCommand.Select(a => Quote(a, command: true)))).Append('\n');
        // on-failure, not always: it restarts the daemon after any death (a signal, the OOM killer,
        // a watchdog timeout, a non-zero exit), but `sup kill` ends it with exit code 0 on purpose.
        text.Append("Restart=on-failure\n");
        text.Append("RestartSec=2\n");
        text.Append("""
            # KillMode=process: on stop, systemd signals only the daemon, and the daemon stops every
            # app itself: each app's stop_signal to its whole process tree, SIGKILL after its own
            # kill_timeout, all apps in parallel. With control-group or mixed, systemd would signal
            # or SIGKILL the apps directly, skipping stop_signal and kill_timeout, and would kill
            # them whenever the daemon itself died; the next daemon stops such leftovers gracefully.

            """.Replace("\r", "", StringComparison.Ordinal));
        text.Append("KillMode=process\n");
        text.Append("KillSignal=SIGTERM\n");
        text.Append("# Longer than the longest kill_timeout of the apps, so that cascade can finish.\n");
        text.Append("TimeoutStopSec=").Append(stopSeconds).Append('\n');
        text.Append('\n');
        text.Append("[Install]\n");
        text.Append("WantedBy=").Append(spec.Scope == StartupScope.User ? "default.target" : "multi-user.target").Append('\n');
        return text.ToString();
    }

    /// <summary>
    /// One word of a unit setting, double-quoted as systemd unquotes it. '%' starts a specifier
    /// everywhere; in command lines '$' also expands variables, so both are doubled.
    /// </summary>
    internal static string Quote(string value, bool command = false)
    {
        var escaped = Escape(value);
        if (command) escaped = escaped.Replace("$", "$$", StringComparison.Ordinal);
        // Plain words stay plain in command lines, so the line reads like the shell command it is.
        if (command && escaped.Length > 0 && !escaped.Any(c => char.IsWhiteSpace(c) || c is '"' or '\'' or '\\' or ';'))
            return escaped;
        return '"' + escaped.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + '"';
    }

    private static string Escape(string value) => value.Replace("%", "%%", StringComparison.Ordinal);
}
