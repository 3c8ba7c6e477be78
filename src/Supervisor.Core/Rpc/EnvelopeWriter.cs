using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Supervisor.Core.Rpc;

/// <summary>
/// Writes JSON-RPC envelopes with <see cref="Utf8JsonWriter"/>: no reflection, so the CLI's
/// client path stays cheap to start.
/// </summary>
internal static class EnvelopeWriter
{
    // Peers are programs, not HTML pages: keep non-ASCII text and quotes readable on the wire.
    private static readonly JsonWriterOptions Options = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = false,
    };

    public static ReadOnlyMemory<byte> Request(long id, string method, JsonNode? @params) =>
        Write(writer =>
        {
            writer.WriteNumber("id"u8, id);
            writer.WriteString("method"u8, method);
            WriteParams(writer, @params);
        });

    public static ReadOnlyMemory<byte> Notification(string method, JsonNode? @params) =>
        Write(writer =>
        {
            writer.WriteString("method"u8, method);
            WriteParams(writer, @params);
        });

    public static ReadOnlyMemory<byte> Result(string rawId, JsonNode? result) =>
        Write(writer =>
        {
            WriteId(writer, rawId);
            writer.WritePropertyName("result"u8);
            WriteNode(writer, result);
        });

    public static ReadOnlyMemory<byte> Error(string? rawId, RpcError error) =>
        Write(writer =>
        {
            WriteId(writer, rawId);
            writer.WriteStartObject("error"u8);
            writer.WriteNumber("code"u8, error.Code);
            writer.WriteString("message"u8, error.Message);
            if (error.Data is not null)
            {
                writer.WritePropertyName("data"u8);
                error.Data.WriteTo(writer);
            }

            writer.WriteEndObject();
        });

    private static ReadOnlyMemory<byte> Write(Action<Utf8JsonWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, Options))
        {
            writer.WriteStartObject();
            writer.WriteString("jsonrpc"u8, "2.0"u8);
            body(writer);
            writer.WriteEndObject();
        }

        return buffer.WrittenMemory;
    }

    private static void WriteId(Utf8JsonWriter writer, string? rawId)
    {
        writer.WritePropertyName("id"u8);
        if (rawId is null)
        {
            writer.WriteNullValue();
        }
        else
        {
            // The id was validated as a JSON string or number when it was read.
            writer.WriteRawValue(rawId, skipInputValidation: true);
        }
    }

    private static void WriteParams(Utf8JsonWriter writer, JsonNode? @params)
    {
        if (@params is null)
        {
            return;
        }

        if (@params is not (JsonArray or JsonObject))
        {
            throw new ArgumentException("JSON-RPC params must be an array or an object.", nameof(@params));
        }

        writer.WritePropertyName("params"u8);
        @params.WriteTo(writer);
    }

    private static void WriteNode(Utf8JsonWriter writer, JsonNode? node)
    {
        if (node is null)
        {
            writer.WriteNullValue();
        }
        else
        {
            node.WriteTo(writer);
        }
    }
}
