using System.IO.Pipelines;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using StreamJsonRpc;
using StreamJsonRpc.Protocol;

namespace Supervisor.Core.Rpc;

/// <summary>
/// StreamJsonRpc's <see cref="HeaderDelimitedMessageHandler"/> (it frames and parses every
/// message) with what it does not do itself, for a peer that may be hostile (docs/rpc.md):
/// a frame size cap, a bound on requests in flight, replies instead of a silent hang-up, and
/// the drain at end of input.
/// </summary>
/// <remarks>
/// StreamJsonRpc drops the connection on any message it cannot deserialize. Before it reads a
/// frame, <see cref="RpcFrameCheck"/> looks at it in the pipe without consuming it: a frame
/// it refuses is skipped and answered (-32700 or -32600) and the connection stays open; a bad
/// header is answered and the connection closes, since the byte stream cannot be resynchronised.
/// </remarks>
internal sealed class RpcMessageHandler : HeaderDelimitedMessageHandler
{
    private readonly PipeReader _input;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _slots;
    // Requests read and not yet answered, counted per id: a client may reuse an id (a hostile one
    // sent 100,000 requests all with id 1), and each of them holds its own slot until answered.
    private readonly Dictionary<RequestId, int> _inFlight = [];
    private int _inFlightCount;

    private RpcMessageHandler(IDuplexPipe pipe, IJsonRpcMessageFormatter formatter, RpcLimits limits, ILogger logger, TimeProvider time)
        : base(pipe, formatter)
    {
        _input = pipe.Input;
        Limits = limits;
        _logger = logger;
        _time = time;
        _slots = new SemaphoreSlim(limits.MaxRequestsInFlight, limits.MaxRequestsInFlight);
    }

    public RpcLimits Limits { get; }

    /// <summary>Requests read and not yet answered.</summary>
    public int RequestsInFlight => Volatile.Read(ref _inFlightCount);

    public static RpcMessageHandler Create(Stream stream, IJsonRpcMessageFormatter formatter, RpcLimits? limits = null, ILogger? logger = null, TimeProvider? time = null)
    {
        var pipe = new DuplexPipe(PipeReader.Create(stream), PipeWriter.Create(stream));
        return new RpcMessageHandler(pipe, formatter, limits ?? RpcLimits.Default, logger ?? NullLogger.Instance, time ?? TimeProvider.System);
    }

    protected override async ValueTask<JsonRpcMessage?> ReadCoreAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            // A slot per request until its reply is written: a client that sends and never reads
            // stops being read once the slots are taken, so neither requests nor replies pile up.
            await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
            bool keepSlot = false;
            try
            {
                RpcFrameCheck.Verdict verdict = await RpcFrameCheck.InspectAsync(_input, Limits, cancellationToken).ConfigureAwait(false);
                if (verdict.Problem is { } problem)
                {
                    await RefuseAsync(verdict, problem, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                JsonRpcMessage? message;
                try
                {
                    message = verdict.EndOfInput ? null : await base.ReadCoreAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    await RefuseAsync(verdict, new RpcFrameCheck.Problem(RpcErrorCodes.ParseError, BadFrameMessage(ex), Fatal: true), cancellationToken).ConfigureAwait(false);
                    throw;
                }

                if (message is null)
                {
                    await DrainAsync(cancellationToken).ConfigureAwait(false);
                    return null;
                }

                if (message is JsonRpcRequest { IsResponseExpected: true } request)
                {
                    lock (_inFlight)
                    {
                        _inFlight[request.RequestId] = _inFlight.GetValueOrDefault(request.RequestId) + 1;
                        _inFlightCount++;
                    }
                    keepSlot = true;
                }

                return message;
            }
            finally
            {
                if (!keepSlot)
                {
                    _slots.Release();
                }
            }
        }
    }

    protected override void Write(JsonRpcMessage content, CancellationToken cancellationToken)
    {
        base.Write(content, cancellationToken);

        // Written into the pipe: the next reply waits for this one's flush, so at most the
        // slots' worth of replies waits for a client that does not read.
        if (content is IJsonRpcMessageWithId { RequestId: var id } and (JsonRpcResult or JsonRpcError) && Answered(id))
        {
            _slots.Release();
        }
    }

    /// <summary>One request with <paramref name="id"/> is answered; false when none was in flight (a reply to a refused frame).</summary>
    private bool Answered(RequestId id)
    {
        lock (_inFlight)
        {
            if (!_inFlight.TryGetValue(id, out var count)) return false;
            if (count == 1) _inFlight.Remove(id);
            else _inFlight[id] = count - 1;
            _inFlightCount--;
            return true;
        }
    }

    private static string BadFrameMessage(Exception ex) => ex switch
    {
        EndOfStreamException => "The connection closed in the middle of a frame.",
        _ => ex.Message,
    };

    /// <summary>Answers a refused frame; throws to close the connection when the stream cannot be read on.</summary>
    private async ValueTask RefuseAsync(RpcFrameCheck.Verdict verdict, RpcFrameCheck.Problem problem, CancellationToken cancellationToken)
    {
        if (problem.Fatal)
        {
            _logger.BadFrame(problem.Message);
        }
        else
        {
            _logger.InvalidRequest(problem.Message);
        }

        {
            try
            {
                await WriteAsync(new JsonRpcError
                {
                    // A frame that cannot be read has no id to answer: null, as JSON-RPC asks.
                    RequestId = problem.Fatal || verdict.Id.IsEmpty ? RequestId.Null : verdict.Id,
                    Error = new JsonRpcError.ErrorDetail { Code = (JsonRpcErrorCode)problem.Code, Message = problem.Message },
                }, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or ObjectDisposedException or OperationCanceledException)
            {
                _logger.ConnectionFailed(ex.Message);
            }
        }

        if (problem.Fatal && verdict.Problem is not null)
        {
            throw new BadRpcHeaderException(problem.Message);
        }
    }

    /// <summary>Clean end of input: requests still running get <see cref="RpcLimits.DrainTimeout"/> to answer.</summary>
    private async Task DrainAsync(CancellationToken cancellationToken)
    {
        var deadline = _time.GetUtcNow() + Limits.DrainTimeout;
        while (RequestsInFlight > 0 && _time.GetUtcNow() < deadline && !cancellationToken.IsCancellationRequested)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(10), _time, cancellationToken).ConfigureAwait(false);
        }
    }

    private sealed class DuplexPipe(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input => input;

        public PipeWriter Output => output;
    }
}
