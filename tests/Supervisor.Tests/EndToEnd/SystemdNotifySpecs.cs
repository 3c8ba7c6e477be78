using System.Net.Sockets;
using System.Text;
using Supervisor.Tests.TestSupport;
using Xunit;

namespace Supervisor.Tests.EndToEnd;

/// <summary>
/// The boot unit is Type=notify: a real `sup daemon`, started as systemd starts it (NOTIFY_SOCKET
/// and WATCHDOG_USEC in its environment), tells a socket the test binds that it is ready once it
/// answers, beats the watchdog, says it is stopping, and passes none of it on to its apps.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class SystemdNotifySpecs : IAsyncLifetime
{
    private readonly SupHome _sup = SupHome.Create();
    private readonly string _socketPath = Path.Combine("/tmp", "sup-n-" + Guid.NewGuid().ToString("N")[..8] + ".sock");
    private readonly Socket _systemd = new(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);

    public Task InitializeAsync()
    {
        _systemd.Bind(new UnixDomainSocketEndPoint(_socketPath));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _sup.DisposeAsync();
        _systemd.Dispose();
        File.Delete(_socketPath);
    }

    /// <summary>The next datagram, or a failure after 30 s (a loaded machine starts a daemon slowly).</summary>
    private async Task<string> NextAsync()
    {
        var buffer = new byte[4096];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var n = await _systemd.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
        return Encoding.UTF8.GetString(buffer, 0, n);
    }

    [Fact(Timeout = 120_000)]
    public async Task A_daemon_under_systemd_says_ready_once_it_answers_beats_the_watchdog_and_says_stopping()
    {
        _sup.WriteFile("env.sh", "#!/bin/sh\necho \"notify=[$NOTIFY_SOCKET] watchdog=[$WATCHDOG_USEC]\"\nexec sleep 300\n");
        using var daemon = _sup.StartSup(new Dictionary<string, string>
        {
            ["NOTIFY_SOCKET"] = _socketPath,
            ["WATCHDOG_USEC"] = "400000",
        }, "daemon");

        Assert.Equal("READY=1", await NextAsync());
        await _sup.OkAsync("ping"); // ready meant answering: no retry needed
        Assert.Equal("WATCHDOG=1", await NextAsync());
        Assert.Equal("WATCHDOG=1", await NextAsync());

        await _sup.OkAsync("start", "./env.sh", "--name", "env");
        var line = await Eventually.ValueAsync(() => Task.FromResult(_sup.ReadLog("env")), l => l.Contains("notify="), TimeSpan.FromSeconds(20), "the app's line");
        Assert.Contains("notify=[] watchdog=[]", line);

        await _sup.OkAsync("kill");
        string said;
        do said = await NextAsync();
        while (said == "WATCHDOG=1");
        Assert.Equal("STOPPING=1", said);
        Assert.True(daemon.WaitForExit(30_000));
        Assert.Equal(0, daemon.ExitCode);
    }
}
