using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Supervisor.Core.Rpc;

/// <summary>
/// A request's <c>params</c>: absent, a positional array (StreamJsonRpc) or a named object
/// (vscode-jsonrpc). Every getter takes both the position and the name, so a handler serves
/// both kinds of client. A missing parameter and a JSON <c>null</c> both read as null; a value
/// of the wrong type throws <see cref="RpcInvalidParamsException"/> (answered with -32602).
/// </summary>
/// <remarks>
/// Elements belong to the request's JSON document, which lives until the handler returns:
/// clone (<see cref="JsonElement.Clone"/>) anything kept longer.
/// </remarks>
public sealed class RpcParams
{
    public static RpcParams None { get; } = new(null);

    /// <param name="value">An array, an object, or null for absent params.</param>
    public RpcParams(JsonElement? value)
    {
        if (value is { ValueKind: not (JsonValueKind.Array or JsonValueKind.Object or JsonValueKind.Null or JsonValueKind.Undefined) })
        {
            throw new ArgumentException("JSON-RPC params must be an array or an object.", nameof(value));
        }

        Value = value is { ValueKind: JsonValueKind.Array or JsonValueKind.Object } ? value : null;
    }

    /// <summary>The raw params: an array, an object, or null when absent.</summary>
    public JsonElement? Value { get; }

    /// <summary>The parameter at <paramref name="position"/> (positional) or named <paramref name="name"/>; null if absent or JSON null.</summary>
    public JsonElement? Get(int position, string name)
    {
        JsonElement? found = Value switch
        {
            { ValueKind: JsonValueKind.Array } array when position >= 0 && position < array.GetArrayLength() => array[position],
            { ValueKind: JsonValueKind.Object } obj => FindProperty(obj, name),
            _ => null,
        };
        return found is { ValueKind: JsonValueKind.Null } ? null : found;
    }

    public string? GetString(int position, string name) => Get(position, name) switch
    {
        null => null,
        { ValueKind: JsonValueKind.String } value => value.GetString(),
        _ => throw WrongType(name, "a string"),
    };

    public string GetRequiredString(int position, string name) =>
        GetString(position, name)
        ?? throw new RpcInvalidParamsException($"The parameter '{name}' (position {position}) is required.", name);

    public int? GetInt32(int position, string name) => Get(position, name) switch
    {
        null => null,
        { ValueKind: JsonValueKind.Number } value when value.TryGetInt32(out int number) => number,
        _ => throw WrongType(name, "a whole number"),
    };

    public bool? GetBoolean(int position, string name) => Get(position, name) switch
    {
        null => null,
        { ValueKind: JsonValueKind.True } => true,
        { ValueKind: JsonValueKind.False } => false,
        _ => throw WrongType(name, "true or false"),
    };

    public string[]? GetStringArray(int position, string name)
    {
        if (Get(position, name) is not { } value)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            throw WrongType(name, "an array of strings");
        }

        var strings = new string[value.GetArrayLength()];
        int i = 0;
        foreach (JsonElement item in value.EnumerateArray())
        {
            strings[i++] = item.ValueKind == JsonValueKind.String ? item.GetString()! : throw WrongType(name, "an array of strings");
        }

        return strings;
    }

    /// <summary>Deserialises the parameter with source-generated metadata (no reflection).</summary>
    public T? Get<T>(int position, string name, JsonTypeInfo<T> type)
    {
        if (Get(position, name) is not { } value)
        {
            return default;
        }

        try
        {
            return value.Deserialize(type);
        }
        catch (JsonException ex)
        {
            throw new RpcInvalidParamsException($"The parameter '{name}' is not valid: {ex.Message}", name);
        }
    }

    private static JsonElement? FindProperty(JsonElement obj, string name)
    {
        if (obj.TryGetProperty(name, out JsonElement exact))
        {
            return exact;
        }

        foreach (JsonProperty property in obj.EnumerateObject())
        {
            if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return property.Value;
            }
        }

        return null;
    }

    private static RpcInvalidParamsException WrongType(string name, string expected) =>
        new($"The parameter '{name}' must be {expected}.", name);
}
