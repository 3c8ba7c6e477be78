using System.Text.Json;

namespace Supervisor.Core.Rpc;

/// <summary>
/// The client side's outstanding requests: allocates ids and completes each caller's task
/// when its response arrives, or fails them all when the connection closes.
/// </summary>
internal sealed class PendingRequests
{
    private readonly Lock _lock = new();
    private readonly Dictionary<long, Entry> _entries = [];
    private long _lastId;
    private Func<string, Exception>? _closedReason;

    /// <summary>Registers a request; throws the close reason if the connection is already closed.</summary>
    public (long Id, Task<JsonElement> Response) Add(string method)
    {
        var completion = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            if (_closedReason is not null)
            {
                throw _closedReason(method);
            }

            long id = ++_lastId;
            _entries.Add(id, new Entry(method, completion));
            return (id, completion.Task);
        }
    }

    /// <summary>Completes the request <paramref name="rawId"/> from its response; false if no such request is waiting.</summary>
    public bool TryComplete(string rawId, JsonElement? result, JsonElement? error)
    {
        if (!long.TryParse(rawId.AsSpan().Trim('"'), out long id) || Remove(id) is not { } entry)
        {
            return false;
        }

        if (error is { } e)
        {
            entry.Completion.TrySetException(RpcErrorMapping.ToException(e, entry.Method));
        }
        else
        {
            entry.Completion.TrySetResult(result?.Clone() ?? default);
        }

        return true;
    }

    /// <summary>Cancels the caller's wait; false if the response (or a failure) came first.</summary>
    public bool Cancel(long id, CancellationToken ct) => Remove(id)?.Completion.TrySetCanceled(ct) ?? false;

    /// <summary>Drops a request whose caller already has its exception (e.g. it could not be sent).</summary>
    public void Forget(long id) => Remove(id);

    /// <summary>Fails every waiting request, and every later one, with the exception <paramref name="reason"/> builds from its method.</summary>
    public void Close(Func<string, Exception> reason)
    {
        Entry[] entries;
        lock (_lock)
        {
            if (_closedReason is not null)
            {
                return;
            }

            _closedReason = reason;
            entries = [.. _entries.Values];
            _entries.Clear();
        }

        foreach (Entry entry in entries)
        {
            entry.Completion.TrySetException(reason(entry.Method));
        }
    }

    private Entry? Remove(long id)
    {
        lock (_lock)
        {
            return _entries.Remove(id, out Entry? entry) ? entry : null;
        }
    }

    private sealed record Entry(string Method, TaskCompletionSource<JsonElement> Completion);
}
