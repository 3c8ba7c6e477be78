using System.Net.Sockets;

namespace Supervisor.Core.Readiness;

/// <summary>`tcp:`: passes when a connection to host:port is accepted (then closed at once).</summary>
public sealed class TcpProbe(TcpProbeSpec spec, TimeProvider time) : IProbe
{
    public string What => spec.What;

    public async Task<ProbeResult> CheckAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var timer = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timer.Token);
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(spec.Host, spec.Port, linked.Token);
            return ProbeResult.Pass;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return ProbeResult.TimedOut;
        }
        catch (SocketException ex)
        {
            return ProbeResult.Fail(Describe(ex));
        }
    }

    internal static string Describe(SocketException ex) => ex.SocketErrorCode switch
    {
        SocketError.ConnectionRefused => "refused the connection",
        SocketError.HostNotFound or SocketError.NoData => "host not found",
        SocketError.TimedOut => "timed out",
        _ => $"failed ({ex.Message})",
    };
}
