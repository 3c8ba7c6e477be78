using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using System.Text.Json;
using StreamJsonRpc;

namespace Supervisor.Core.Rpc;

/// <summary>
/// Looks at the next frame in the pipe before StreamJsonRpc reads it, and refuses what it would
/// drop the connection for, or misread: a frame over the size cap, a body that is not UTF-8 or
/// not JSON, duplicate member names (<c>{"method":"ping","method":"kill"}</c>: the last would
/// win), and messages that are not JSON-RPC 2.0. A frame it accepts is left in the pipe as it was.
/// </summary>
internal static class RpcFrameCheck
{
    /// <param name="Fatal">The stream cannot be read on: answer, then close the connection.</param>
    public sealed record Problem(int Code, string Message, bool Fatal = false);

    /// <param name="Id">The id to answer a refused frame with (null when none could be read).</param>
    /// <param name="EndOfInput">The peer closed its side between frames.</param>
    public readonly record struct Verdict(Problem? Problem, RequestId Id, bool EndOfInput);

    // Duplicates are found by RpcDuplicateNames, not by AllowDuplicateProperties = false: System.Text.Json
    // checks an object of more than a few members with a Marvin-hashed set seeded by
    // RandomNumberGenerator, which loads and initialises OpenSSL (libssl, libcrypto, openssl.cnf)
    // in every `sup ls` for the AppInfo rows of its reply (docs/benchmarks.md).
    private static readonly JsonDocumentOptions Lenient = new() { MaxDepth = 64 };

    public static async ValueTask<Verdict> InspectAsync(PipeReader input, RpcLimits limits, CancellationToken cancellationToken)
    {
        long? frameLength = null;
        while (true)
        {
            ReadResult read = await input.ReadAsync(cancellationToken).ConfigureAwait(false);
            ReadOnlySequence<byte> buffer = read.Buffer;
            if (buffer.IsEmpty && read.IsCompleted)
            {
                input.AdvanceTo(buffer.Start);
                return new Verdict(null, RequestId.Null, EndOfInput: true);
            }

            if (frameLength is null)
            {
                var header = FindHeaderEnd(buffer, limits.MaxHeaderBytes);
                if (header is null)
                {
                    if (buffer.Length > limits.MaxHeaderBytes)
                    {
                        input.AdvanceTo(buffer.Start);
                        return Fatal($"The frame header is longer than the {limits.MaxHeaderBytes} bytes allowed.");
                    }
                }
                else if (Charset(buffer.Slice(0, header.Value)) is { } charset && !charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase) && !charset.Equals("utf8", StringComparison.OrdinalIgnoreCase))
                {
                    input.AdvanceTo(buffer.Start);
                    return Fatal($"The charset '{charset}' is not supported; frames must be UTF-8.");
                }
                else if (ContentLength(buffer.Slice(0, header.Value)) is not { } length)
                {
                    // No readable Content-Length: StreamJsonRpc says what is wrong with the header.
                    input.AdvanceTo(buffer.Start);
                    return default;
                }
                else if (length > limits.MaxFrameBytes)
                {
                    input.AdvanceTo(buffer.Start);
                    return Fatal($"The frame of {length} bytes is larger than the {limits.MaxFrameBytes} bytes allowed.");
                }
                else if (length <= 0)
                {
                    input.AdvanceTo(buffer.Start);
                    return Fatal("The frame is empty (Content-Length must be at least 1).");
                }
                else
                {
                    frameLength = header.Value + length;
                }
            }

            if (frameLength is { } total && buffer.Length >= total)
            {
                long headerLength = FindHeaderEnd(buffer, limits.MaxHeaderBytes)!.Value;
                Problem? problem = CheckBody(buffer.Slice(headerLength, total - headerLength), out RequestId id);
                // Refused: skip the frame. Accepted: leave it all for StreamJsonRpc to read.
                input.AdvanceTo(problem is null ? buffer.Start : buffer.GetPosition(total));
                return new Verdict(problem, id, EndOfInput: false);
            }

            if (read.IsCompleted)
            {
                // Mid-frame at end of input: StreamJsonRpc's read fails with EndOfStreamException.
                input.AdvanceTo(buffer.Start);
                return default;
            }

            input.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    private static Verdict Fatal(string message) => new(new Problem(RpcErrorCodes.ParseError, message, Fatal: true), RequestId.Null, false);

    /// <summary>The length of the header block including its blank line, or null when it has not ended yet.</summary>
    private static long? FindHeaderEnd(ReadOnlySequence<byte> buffer, int maxHeaderBytes)
    {
        ReadOnlySequence<byte> window = buffer.Length > maxHeaderBytes + 4 ? buffer.Slice(0, maxHeaderBytes + 4) : buffer;
        var reader = new SequenceReader<byte>(window);
        return reader.TryReadTo(out ReadOnlySequence<byte> _, "\r\n\r\n"u8, advancePastDelimiter: true) ? reader.Consumed : null;
    }

    /// <summary>The Content-Length value (value trimmed, as StreamJsonRpc reads it), or null.</summary>
    private static long? ContentLength(ReadOnlySequence<byte> header) =>
        Header(header, "Content-Length") is { } value && long.TryParse(value, System.Globalization.NumberStyles.None, null, out long length) ? length : null;

    /// <summary>The charset a Content-Type names, or null.</summary>
    private static string? Charset(ReadOnlySequence<byte> header)
    {
        if (Header(header, "Content-Type") is not { } value)
        {
            return null;
        }

        foreach (string part in value.Split(';'))
        {
            string[] pair = part.Split('=', 2, StringSplitOptions.TrimEntries);
            if (pair.Length == 2 && pair[0].Equals("charset", StringComparison.OrdinalIgnoreCase))
            {
                return pair[1].Trim('"');
            }
        }

        return null;
    }

    /// <summary>A header's trimmed value, its name matched exactly as StreamJsonRpc matches it.</summary>
    private static string? Header(ReadOnlySequence<byte> header, string name)
    {
        foreach (string line in Encoding.ASCII.GetString(header).Split("\r\n"))
        {
            int colon = line.IndexOf(':');
            if (colon > 0 && line.AsSpan(0, colon).SequenceEqual(name))
            {
                return line[(colon + 1)..].Trim();
            }
        }

        return null;
    }

    private static Problem? CheckBody(ReadOnlySequence<byte> body, out RequestId id)
    {
        id = RequestId.Null;
        ReadOnlySpan<byte> span = body.IsSingleSegment ? body.FirstSpan : body.ToArray();
        if (!System.Text.Unicode.Utf8.IsValid(span))
        {
            return new Problem(RpcErrorCodes.ParseError, "The message is not valid UTF-8.");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, Lenient);
        }
        catch (JsonException)
        {
            return new Problem(RpcErrorCodes.ParseError, "The message is not valid JSON.");
        }

        using (document)
        {
            if (RpcDuplicateNames.Any(document.RootElement))
            {
                id = ReadId(document.RootElement, out _);
                return new Problem(RpcErrorCodes.InvalidRequest, "The message has a member name twice; each may appear once.");
            }

            return CheckMessage(document.RootElement, out id);
        }
    }

    private static Problem? CheckMessage(JsonElement root, out RequestId id)
    {
        id = RequestId.Null;
        if (root.ValueKind == JsonValueKind.Array)
        {
            return Invalid("Batch requests are not supported; send one message per frame.");
        }

        if (root.ValueKind != JsonValueKind.Object)
        {
            return Invalid("A JSON-RPC message must be a JSON object.");
        }

        id = ReadId(root, out string? idProblem);
        if (idProblem is not null)
        {
            return Invalid(idProblem);
        }

        if (!root.TryGetProperty("jsonrpc"u8, out JsonElement version) || version.ValueKind != JsonValueKind.String || !version.ValueEquals("2.0"u8))
        {
            return Invalid("The message must have \"jsonrpc\": \"2.0\".");
        }

        if (root.TryGetProperty("method"u8, out JsonElement method))
        {
            if (method.ValueKind != JsonValueKind.String)
            {
                return Invalid("The method must be a string.");
            }

            if (root.TryGetProperty("params"u8, out JsonElement parameters) && parameters.ValueKind is not (JsonValueKind.Array or JsonValueKind.Object))
            {
                return Invalid("The params must be an array or an object.");
            }

            return null;
        }

        bool hasId = root.TryGetProperty("id"u8, out _);
        if (hasId && root.TryGetProperty("result"u8, out _))
        {
            return null;
        }

        if (hasId && root.TryGetProperty("error"u8, out JsonElement error))
        {
            return error.ValueKind == JsonValueKind.Object
                && error.TryGetProperty("code"u8, out JsonElement code) && code.TryGetInt64(out _)
                && error.TryGetProperty("message"u8, out JsonElement message) && message.ValueKind == JsonValueKind.String
                ? null
                : Invalid("An error must be an object with a whole-number code and a string message.");
        }

        return Invalid("The message is neither a request (method) nor a response (id with result or error).");
    }

    /// <summary>The message's id as StreamJsonRpc can hold it: a string, a 64-bit whole number, or null.</summary>
    private static RequestId ReadId(JsonElement root, out string? problem)
    {
        problem = null;
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("id"u8, out JsonElement id))
        {
            return RequestId.Null;
        }

        switch (id.ValueKind)
        {
            case JsonValueKind.String:
                return new RequestId(id.GetString());
            case JsonValueKind.Number when id.TryGetInt64(out long number):
                return new RequestId(number);
            case JsonValueKind.Null:
                return RequestId.Null;
            default:
                problem = "The id must be a string, a whole number of at most 64 bits, or null.";
                return RequestId.Null;
        }
    }

    private static Problem Invalid(string message) => new(RpcErrorCodes.InvalidRequest, message);
}
