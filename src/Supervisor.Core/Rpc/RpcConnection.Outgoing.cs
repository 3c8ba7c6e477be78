using System.Text.Json;
using System.Text.Json.Nodes;

namespace Supervisor.Core.Rpc;

public sealed partial class RpcConnection
{
    /// <summary>
    /// Calls a method on the peer and returns its <c>result</c> (a clone, safe to keep).
    /// Throws <see cref="SupException"/> for application errors (codes 1000-1999, with their
    /// details), <see cref="RpcException"/> for other error responses, and
    /// <see cref="SupException"/> (<see cref="SupError.DaemonNotRunning"/>) if the peer goes
    /// away first (<see cref="ObjectDisposedException"/> if this side is disposed first).
    /// Cancelling <paramref name="ct"/> sends <c>$/cancelRequest</c> and throws
    /// <see cref="OperationCanceledException"/> at once.
    /// </summary>
    /// <param name="params">A <see cref="JsonArray"/> (positional), a <see cref="JsonObject"/> (named) or null.</param>
    public async Task<JsonElement> InvokeAsync(string method, JsonNode? @params, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrEmpty(method);
        if (Volatile.Read(ref _started) == 0)
        {
            throw new InvalidOperationException("Call RunAsync before InvokeAsync: nothing reads the responses yet.");
        }

        ct.ThrowIfCancellationRequested();
        (long id, Task<JsonElement> response) = _pending.Add(method);
        try
        {
            await SendAsync(EnvelopeWriter.Request(id, method, @params), ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            _pending.Forget(id);
            throw;
        }
        catch (OperationCanceledException) when (Closed.IsCancellationRequested)
        {
            // Closing failed the pending call with the reason the caller should see; await it below.
        }
        catch
        {
            _pending.Forget(id);
            throw;
        }

        await using (ct.Register(() =>
        {
            if (_pending.Cancel(id, ct))
            {
                _ = NotifyCancelAsync(id);
            }
        }).ConfigureAwait(false))
        {
            return await response.ConfigureAwait(false);
        }
    }

    /// <summary>Sends a notification (no id, no response), e.g. log lines to a following client. Throws <see cref="OperationCanceledException"/> once the connection is closed.</summary>
    /// <param name="params">A <see cref="JsonArray"/> (positional), a <see cref="JsonObject"/> (named) or null.</param>
    public ValueTask NotifyAsync(string method, JsonNode? @params, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrEmpty(method);
        return SendAsync(EnvelopeWriter.Notification(method, @params), ct);
    }

    private async Task NotifyCancelAsync(long id)
    {
        try
        {
            await NotifyAsync(CancelRequestMethod, new JsonObject { ["id"] = id }, CancellationToken.None).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Closed: the peer's handler is cancelled by the disconnect anyway.
        }
    }
}
