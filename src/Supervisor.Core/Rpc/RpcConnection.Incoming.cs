using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Supervisor.Core.Rpc;

public sealed partial class RpcConnection
{
    internal const string CancelRequestMethod = "$/cancelRequest";

    /// <summary>
    /// A notification from the peer that no registered method handles (e.g. log lines pushed
    /// by the daemon). Raised on the read loop, in arrival order: keep subscribers quick. The
    /// element is a clone of the params (<see cref="JsonValueKind.Undefined"/> when absent).
    /// </summary>
    public event Action<string, JsonElement>? NotificationReceived;

    private async ValueTask ProcessFrameAsync(ReadOnlyMemory<byte> frame)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(frame);
        }
        catch (JsonException ex)
        {
            _logger.BadJson(ex.Message);
            await TrySendAsync(EnvelopeWriter.Error(null, new RpcError(RpcErrorCodes.ParseError, "The message is not valid JSON."))).ConfigureAwait(false);
            return;
        }

        bool handedOff = false;
        try
        {
            IncomingMessage message = IncomingMessage.Parse(document.RootElement);
            switch (message.Kind)
            {
                case IncomingMessageKind.Invalid:
                    _logger.InvalidRequest(message.Problem!);
                    await TrySendAsync(EnvelopeWriter.Error(message.RawId, new RpcError(RpcErrorCodes.InvalidRequest, message.Problem!))).ConfigureAwait(false);
                    break;

                case IncomingMessageKind.Response:
                    if (!_pending.TryComplete(message.RawId!, message.Result, message.Error))
                    {
                        _logger.UnexpectedResponse(message.RawId!);
                    }

                    break;

                case IncomingMessageKind.Notification when message.Method == CancelRequestMethod:
                    CancelInFlight(new RpcParams(message.Params).Get(0, "id"));
                    break;

                default:
                    if (_dispatcher is not null && _dispatcher.TryResolve(message.Method!, out RpcHandler? handler))
                    {
                        // Tracked before the handler starts, so a $/cancelRequest read right after
                        // this frame always finds it. The handler's task owns the document.
                        var cancellation = CancellationTokenSource.CreateLinkedTokenSource(Closed);
                        bool cancellable = message.RawId is not null && _inFlight.TryAdd(message.RawId, cancellation);
                        handedOff = true;
                        Task running = Task.Run(() => InvokeHandlerAsync(document, message, handler, cancellation, cancellable));
                        _running.TryAdd(running, 0);
                        _ = running.ContinueWith(
                            static (task, state) => ((ConcurrentDictionary<Task, byte>)state!).TryRemove(task, out _),
                            _running,
                            TaskScheduler.Default);
                    }
                    else if (message.Kind == IncomingMessageKind.Request)
                    {
                        _logger.MethodNotFound(message.Method!);
                        var error = new RpcError(RpcErrorCodes.MethodNotFound, $"No method named '{message.Method}'. docs/rpc.md lists the methods.");
                        await TrySendAsync(EnvelopeWriter.Error(message.RawId, error)).ConfigureAwait(false);
                    }
                    else
                    {
                        RaiseNotification(message.Method!, message.Params);
                    }

                    break;
            }
        }
        finally
        {
            if (!handedOff)
            {
                document.Dispose();
            }
        }
    }

    private async Task InvokeHandlerAsync(
        JsonDocument document, IncomingMessage message, RpcHandler handler, CancellationTokenSource cancellation, bool cancellable)
    {
        using JsonDocument owned = document;
        using CancellationTokenSource owningCancellation = cancellation;
        string method = message.Method!;
        string? rawId = message.RawId;
        ReadOnlyMemory<byte>? reply = null;
        try
        {
            var context = new RpcRequestContext(method, new RpcParams(message.Params), this, isNotification: rawId is null);
            JsonNode? result = await handler(context, cancellation.Token).ConfigureAwait(false);
            if (rawId is not null)
            {
                reply = EnvelopeWriter.Result(rawId, result);
            }
        }
        catch (Exception ex) when (Closed.IsCancellationRequested)
        {
            _logger.HandlerAbandoned(method, ex.GetType().Name);
        }
        catch (Exception ex)
        {
            RpcError error = RpcErrorMapping.FromException(ex, method, cancelledByPeer: cancellation.IsCancellationRequested);
            if (error.Code == RpcErrorCodes.InternalError)
            {
                _logger.HandlerFailed(ex, method);
            }
            else
            {
                _logger.HandlerRefused(method, error.Code, error.Message);
            }

            if (rawId is not null)
            {
                reply = EnvelopeWriter.Error(rawId, error);
            }
        }
        finally
        {
            if (cancellable)
            {
                _inFlight.TryRemove(new KeyValuePair<string, CancellationTokenSource>(rawId!, cancellation));
            }
        }

        if (reply is { } json)
        {
            await TrySendAsync(json).ConfigureAwait(false);
        }
    }

    private void CancelInFlight(JsonElement? id)
    {
        if (id is not { } element || !_inFlight.TryGetValue(element.GetRawText(), out CancellationTokenSource? cancellation))
        {
            return;
        }

        try
        {
            cancellation.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The request finished while the cancellation was on its way.
        }
    }

    private void RaiseNotification(string method, JsonElement? @params)
    {
        Action<string, JsonElement>? subscribers = NotificationReceived;
        if (subscribers is null)
        {
            _logger.NotificationIgnored(method);
            return;
        }

        try
        {
            subscribers(method, @params?.Clone() ?? default);
        }
        catch (Exception ex)
        {
            _logger.NotificationSubscriberFailed(ex, method);
        }
    }
}
