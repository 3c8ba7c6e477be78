using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Supervisor.Core.Config;
using Supervisor.Core.Platform;
using Supervisor.Core.Supervision;
using Supervisor.Tests.TestSupport;
using Xunit;

namespace Supervisor.Tests.Supervision;

/// <summary>The /proc finder against real processes and a real listening socket.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class ExternalProcessDetectorTests : IDisposable
{
    private readonly string _marker = "sup-ext-" + Guid.NewGuid().ToString("N")[..8];
    private readonly List<Process> _started = [];

    public void Dispose()
    {
        foreach (var process in _started)
        {
            try { process.Kill(entireProcessTree: true); process.WaitForExit(5000); }
            catch (InvalidOperationException) { }
            process.Dispose();
        }
    }

    /// <summary>A process whose command line carries the marker (as $0 of sh), started by this test, not by any daemon.</summary>
    private Process StartMarked()
    {
        var process = Process.Start(new ProcessStartInfo("/bin/sh", ["-c", "while :; do sleep 1; done", _marker])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        _started.Add(process);
        return process;
    }

    [Fact]
    public void A_process_matching_the_pattern_that_the_daemon_did_not_start_is_found_with_its_pid()
    {
        var outside = StartMarked();
        var detector = new ExternalProcessDetector(owner: -1); // no daemon: everything is outside

        var found = detector.Find(new ExternalSpec(_marker, null));

        Assert.NotNull(found);
        Assert.Equal(outside.Id, found.Pid);
        Assert.Contains(_marker, found.Description);
    }

    [Fact]
    public void The_daemons_own_descendants_are_not_external()
    {
        StartMarked();
        var detector = new ExternalProcessDetector(owner: Environment.ProcessId); // this test process plays the daemon

        Assert.Null(detector.Find(new ExternalSpec(_marker, null)));
    }

    [Fact]
    public async Task Once_the_process_is_gone_nothing_is_found()
    {
        var outside = StartMarked();
        var detector = new ExternalProcessDetector(owner: -1);
        Assert.NotNull(detector.Find(new ExternalSpec(_marker, null)));

        outside.Kill();
        await outside.WaitForExitAsync();

        Assert.Null(detector.Find(new ExternalSpec(_marker, null)));
    }

    [Fact]
    public void A_listener_on_the_port_is_found_and_ours_is_not()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;

        var outside = new ExternalProcessDetector(owner: -1).Find(new ExternalSpec(null, port));
        var ours = new ExternalProcessDetector(owner: Environment.ProcessId).Find(new ExternalSpec(null, port));

        Assert.NotNull(outside);
        Assert.Equal(Environment.ProcessId, outside.Pid);
        Assert.Contains($"listening on port {port}", outside.Description);
        Assert.Null(ours);
    }

    [Fact]
    public void A_port_nobody_listens_on_finds_nothing()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        Assert.Null(new ExternalProcessDetector(owner: -1).Find(new ExternalSpec(null, port)));
    }

    [Theory]
    [InlineData("   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 123456 1 0000000000000000 100 0 0 10 0", 8080, 123456L)]
    [InlineData("   1: 00000000000000000000000000000000:0050 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 99 1 0", 80, 99L)]
    public void A_listening_line_of_proc_net_tcp_gives_its_port_and_inode(string line, int port, long inode)
    {
        Assert.Equal((port, inode), ProcNet.ParseListener(line));
    }

    [Fact]
    public void A_connected_socket_is_not_a_listener()
    {
        Assert.Null(ProcNet.ParseListener("   2: 0100007F:1F90 0100007F:D431 01 00000000:00000000 00:00000000 00000000  1000        0 5555 1 0"));
    }
}
