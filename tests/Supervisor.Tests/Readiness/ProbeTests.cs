using System.Net;
using System.Net.Sockets;
using System.Text;
using Supervisor.Core.Platform;
using Supervisor.Core.Readiness;
using Xunit;

namespace Supervisor.Tests.Readiness;

/// <summary>Each probe kind against the real thing: a socket, an HTTP answer, a command, log lines, a datagram.</summary>
public sealed class ProbeTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task A_tcp_check_passes_on_an_open_port_and_says_refused_on_a_closed_one()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var open = new TcpProbe(new TcpProbeSpec("127.0.0.1", port), TimeProvider.System);
        Assert.True((await open.CheckAsync(Timeout, CancellationToken.None)).Passed);

        listener.Stop();
        var closed = await open.CheckAsync(Timeout, CancellationToken.None);

        Assert.Equal(ProbeResult.Fail("refused the connection"), closed);
        Assert.Equal($"tcp 127.0.0.1:{port}", open.What);
    }

    [Theory]
    [InlineData("200 OK", true, null)]
    [InlineData("302 Found", true, null)]
    [InlineData("503 Service Unavailable", false, "answered 503")]
    [InlineData("404 Not Found", false, "answered 404")]
    public async Task An_http_check_passes_on_2xx_and_3xx(string status, bool passes, string? failure)
    {
        using var server = new TcpListener(IPAddress.Loopback, 0);
        server.Start();
        var port = ((IPEndPoint)server.LocalEndpoint).Port;
        var serving = AnswerOnceAsync(server, $"HTTP/1.1 {status}\r\nContent-Length: 0\r\nLocation: /elsewhere\r\nConnection: close\r\n\r\n");
        var probe = new HttpProbe(new HttpProbeSpec(new Uri($"http://127.0.0.1:{port}/health")), TimeProvider.System);

        var result = await probe.CheckAsync(Timeout, CancellationToken.None);

        Assert.Equal(passes, result.Passed);
        Assert.Equal(failure, result.Failure);
        Assert.StartsWith("GET /health HTTP/1.1", await serving);
    }

    [Fact]
    public async Task An_http_check_that_gets_no_answer_times_out()
    {
        using var server = new TcpListener(IPAddress.Loopback, 0);
        server.Start(); // accepts into the backlog, never answers
        var port = ((IPEndPoint)server.LocalEndpoint).Port;
        var probe = new HttpProbe(new HttpProbeSpec(new Uri($"http://127.0.0.1:{port}/")), TimeProvider.System);

        var result = await probe.CheckAsync(TimeSpan.FromMilliseconds(300), CancellationToken.None);

        Assert.Equal(ProbeResult.Fail("timed out"), result);
    }

    [Fact]
    public async Task An_exec_check_passes_on_exit_0_and_names_the_code_and_stderr_otherwise()
    {
        var env = new Dictionary<string, string> { ["WANTED"] = "7" };
        var ok = new ExecProbe(new ExecProbeSpec("test \"$WANTED\" = 7"), Path.GetTempPath(), env, TimeProvider.System);
        var failing = new ExecProbe(new ExecProbeSpec("echo not yet >&2; exit 3"), Path.GetTempPath(), env, TimeProvider.System);

        Assert.True((await ok.CheckAsync(Timeout, CancellationToken.None)).Passed);
        Assert.Equal(ProbeResult.Fail("exited with code 3 (not yet)"), await failing.CheckAsync(Timeout, CancellationToken.None));
    }

    [Fact]
    public async Task An_exec_check_that_hangs_is_killed_at_its_timeout()
    {
        var hanging = new ExecProbe(new ExecProbeSpec("sleep 30"), Path.GetTempPath(), new Dictionary<string, string>(), TimeProvider.System);

        var started = DateTime.UtcNow;
        var result = await hanging.CheckAsync(TimeSpan.FromMilliseconds(300), CancellationToken.None);

        Assert.Equal(ProbeResult.Fail("timed out"), result);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void A_log_check_passes_at_the_first_matching_line_of_either_stream()
    {
        var probe = new LogLineProbe(new LogProbeSpec("^Listening on :(\\d+)$"));

        probe.Observe("Starting"u8.ToArray());
        Assert.False(probe.Seen.IsCompleted);
        probe.Observe("Listening on :8080"u8.ToArray());

        Assert.True(probe.Seen.IsCompletedSuccessfully);
    }

    [Fact]
    public void A_pattern_that_backtracks_for_ever_is_cut_off_by_its_match_timeout()
    {
        var probe = new LogLineProbe(new LogProbeSpec("^(a+)+$"));
        var started = DateTime.UtcNow;

        probe.Observe(Encoding.UTF8.GetBytes(new string('a', 40) + "!"));

        Assert.False(probe.Seen.IsCompleted);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(5), "the match was not bounded");
    }

    [Fact]
    public async Task A_notify_socket_takes_READY_1_and_STATUS_from_a_datagram()
    {
        var folder = Directory.CreateDirectory(Path.Combine("/tmp", "sup-t-" + Guid.NewGuid().ToString("N")[..8])).FullName;
        try
        {
            var path = Path.Combine(folder, "web.sock");
            using var listener = NotifySocketListener.Open(path);
            var probe = new NotifyProbe(new NotifyProbeSpec(), listener);

            Send(path, "STATUS=warming caches");
            await WaitForAsync(() => listener.Status == "warming caches");
            Assert.False(probe.Seen.IsCompleted);
            Assert.Equal("no READY=1 yet, STATUS=warming caches", probe.Pending);
            Send(path, "STATUS=serving\nREADY=1\n");

            await probe.Seen.WaitAsync(Timeout);
            Assert.True((await probe.CheckAsync(Timeout, CancellationToken.None)).Passed);
            listener.Dispose();
            Assert.False(File.Exists(path));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static void Send(string path, string message)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        socket.SendTo(Encoding.UTF8.GetBytes(message), new UnixDomainSocketEndPoint(path));
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException();
            await Task.Delay(10);
        }
    }

    private static async Task<string> AnswerOnceAsync(TcpListener server, string response)
    {
        using var client = await server.AcceptTcpClientAsync();
        var stream = client.GetStream();
        var buffer = new byte[4096];
        var read = 0;
        while (!Encoding.ASCII.GetString(buffer, 0, read).Contains("\r\n\r\n", StringComparison.Ordinal))
            read += await stream.ReadAsync(buffer.AsMemory(read));
        await stream.WriteAsync(Encoding.ASCII.GetBytes(response));
        return Encoding.ASCII.GetString(buffer, 0, read);
    }
}
