using System.Net.Sockets;
using System.Text;
using Supervisor.Core.Platform;
using Xunit;

namespace Supervisor.Tests.Platform;

/// <summary>The daemon's sd_notify datagrams, received on a socket the test binds as systemd would.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class SystemdNotifyTests
{
    private static async Task<string> ReceiveAsync(Socket socket)
    {
        var buffer = new byte[4096];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var n = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
        return Encoding.UTF8.GetString(buffer, 0, n);
    }

    [Fact(Timeout = 30_000)]
    public async Task An_abstract_socket_name_gets_the_datagram_and_the_variables_are_gone_for_children()
    {
        var name = "sup-test-notify-" + Guid.NewGuid().ToString("N")[..8];
        using var systemd = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        systemd.Bind(new UnixDomainSocketEndPoint("\0" + name));
        Environment.SetEnvironmentVariable(SystemdNotify.SocketVariable, "@" + name);
        Environment.SetEnvironmentVariable("WATCHDOG_USEC", "3000000");

        using var notify = SystemdNotify.FromEnvironment();

        Assert.NotNull(notify);
        Assert.Null(Environment.GetEnvironmentVariable(SystemdNotify.SocketVariable));
        Assert.Null(Environment.GetEnvironmentVariable("WATCHDOG_USEC"));
        Assert.Equal(TimeSpan.FromSeconds(1.5), notify.WatchdogInterval);
        Assert.True(notify.Send("READY=1"));
        Assert.Equal("READY=1", await ReceiveAsync(systemd));
    }

    [Fact]
    public void Without_NOTIFY_SOCKET_there_is_nothing_to_tell_and_a_watchdog_for_another_pid_is_not_ours()
    {
        Environment.SetEnvironmentVariable(SystemdNotify.SocketVariable, null);
        Assert.Null(SystemdNotify.FromEnvironment());

        Environment.SetEnvironmentVariable(SystemdNotify.SocketVariable, "/run/nowhere/notify");
        Environment.SetEnvironmentVariable("WATCHDOG_USEC", "3000000");
        Environment.SetEnvironmentVariable("WATCHDOG_PID", "1");
        using var notify = SystemdNotify.FromEnvironment();
        Assert.NotNull(notify);
        Assert.Null(notify.WatchdogInterval);
        Assert.False(notify.Send("READY=1"), "nobody listens there");
    }
}
