using System.Net.Sockets;

namespace Supervisor.Core.Readiness;

/// <summary>`http:`: passes when a GET answers 2xx or 3xx. Redirects are not followed, and no proxy is used: the app is local.</summary>
public sealed class HttpProbe(HttpProbeSpec spec, TimeProvider time) : IProbe
{
    // One client for every probe of the daemon: a handler per check would leave sockets in TIME_WAIT by the thousand.
    private static readonly HttpClient Client = new(new SocketsHttpHandler
    {
        AllowAutoRedirect = false,
        UseProxy = false,
        PooledConnectionLifetime = TimeSpan.FromMinutes(1),
    })
    {
        Timeout = Timeout.InfiniteTimeSpan, // each check's own timeout applies
    };

    public string What => spec.What;

    public async Task<ProbeResult> CheckAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var timer = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timer.Token);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, spec.Url);
            using var response = await Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token);
            var code = (int)response.StatusCode;
            return code is >= 200 and < 400 ? ProbeResult.Pass : ProbeResult.Fail($"answered {code}");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return ProbeResult.TimedOut;
        }
        catch (HttpRequestException ex)
        {
            return ProbeResult.Fail(ex.InnerException is SocketException socket ? TcpProbe.Describe(socket) : $"failed ({ex.Message})");
        }
    }
}
