using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace Supervisor.Core.Platform;

/// <summary>
/// The daemon's side of sd_notify(3) (the boot unit is Type=notify): one datagram per state
/// ("READY=1" once the socket listens, "WATCHDOG=1" on the watchdog's beat, "STOPPING=1") to
/// the Unix datagram socket named by NOTIFY_SOCKET, a path or an abstract name ('@' first).
/// </summary>
/// <remarks>
/// <see cref="FromEnvironment"/> takes NOTIFY_SOCKET, WATCHDOG_USEC and WATCHDOG_PID out of this
/// process's environment (sd_notify's unset_environment), so no app inherits them and talks to
/// systemd about sup's unit. A failed send is dropped: telling systemd is never worth the daemon.
/// </remarks>
public sealed class SystemdNotify : IDisposable
{
    public const string SocketVariable = "NOTIFY_SOCKET";

    private readonly Socket _socket;
    private readonly UnixDomainSocketEndPoint _target;

    private SystemdNotify(Socket socket, UnixDomainSocketEndPoint target, TimeSpan? watchdog)
    {
        _socket = socket;
        _target = target;
        WatchdogInterval = watchdog;
    }

    /// <summary>How often to send WATCHDOG=1: half of WatchdogSec (WATCHDOG_USEC), as sd_watchdog_enabled(3) advises; null when off.</summary>
    public TimeSpan? WatchdogInterval { get; }

    /// <summary>The notifier systemd asked for, or null when NOTIFY_SOCKET is unset or unusable.</summary>
    public static SystemdNotify? FromEnvironment()
    {
        var path = Environment.GetEnvironmentVariable(SocketVariable);
        var watchdogUsec = Environment.GetEnvironmentVariable("WATCHDOG_USEC");
        var watchdogPid = Environment.GetEnvironmentVariable("WATCHDOG_PID");
        Environment.SetEnvironmentVariable(SocketVariable, null);
        Environment.SetEnvironmentVariable("WATCHDOG_USEC", null);
        Environment.SetEnvironmentVariable("WATCHDOG_PID", null);
        if (string.IsNullOrEmpty(path) || (path[0] != '/' && path[0] != '@')) return null;

        TimeSpan? watchdog = null;
        // WATCHDOG_PID, when set, names the process meant to send the beats: only it does.
        var forUs = watchdogPid is null || watchdogPid == Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        if (forUs && long.TryParse(watchdogUsec, NumberStyles.None, CultureInfo.InvariantCulture, out var usec) && usec > 0)
            watchdog = TimeSpan.FromMicroseconds(usec / 2.0);

        try
        {
            // An abstract name is '@' in the variable and a leading NUL in the address (unix(7)).
            var target = new UnixDomainSocketEndPoint(path[0] == '@' ? "\0" + path[1..] : path);
            return new SystemdNotify(new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified), target, watchdog);
        }
        catch (Exception ex) when (ex is SocketException or ArgumentException)
        {
            return null;
        }
    }

    /// <returns>False when the datagram could not be sent (no listener, a full queue).</returns>
    public bool Send(string state)
    {
        try
        {
            _socket.SendTo(Encoding.UTF8.GetBytes(state), SocketFlags.None, _target);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    public void Dispose() => _socket.Dispose();
}
