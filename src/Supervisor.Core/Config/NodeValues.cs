using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Supervisor.Core.Config;

/// <summary>
/// Typed reads of YAML values. Scalars are read as text whatever their quoting, so JSON's
/// <c>"10s"</c> and YAML's <c>10s</c> mean the same. Each bad value becomes one problem naming
/// the key and the value, and the read returns null so the caller carries on collecting.
/// </summary>
internal sealed class NodeValues(ProblemList problems)
{
    public ProblemList Problems { get; } = problems;

    /// <summary>`key:`, `key: ~` and `key: null` mean "not given", as in YAML.</summary>
    public static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: ScalarStyle.Plain or ScalarStyle.Any, Value: null or "" or "~" or "null" or "Null" or "NULL" };

    public string? Text(string key, YamlNode node)
    {
        if (node is YamlScalarNode scalar)
        {
            return scalar.Value ?? "";
        }

        Problems.Error(node, $"{key} must be a single value, not a {Describe(node)}.");
        return null;
    }

    /// <summary>A non-empty string.</summary>
    public string? String(string key, YamlNode node)
    {
        var text = Text(key, node);
        if (text is not null && text.Trim().Length == 0)
        {
            Problems.Error(node, $"{key} must not be empty.");
            return null;
        }

        return text;
    }

    public bool? Bool(string key, YamlNode node)
    {
        var text = Text(key, node);
        if (text is null)
        {
            return null;
        }

        if (bool.TryParse(text.Trim(), out var value))
        {
            return value;
        }

        Problems.Error(node, $"{key}: '{text}' is not true or false.");
        return null;
    }

    public int? Int(string key, YamlNode node, int min = int.MinValue, int max = int.MaxValue)
    {
        var text = Text(key, node);
        if (text is null)
        {
            return null;
        }

        if (!int.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            Problems.Error(node, $"{key}: '{text}' is not a whole number.");
            return null;
        }

        if (value < min)
        {
            Problems.Error(node, $"{key}: '{text}' must be {min} or more.");
            return null;
        }

        if (value > max)
        {
            Problems.Error(node, $"{key}: '{text}' must be {max} or less.");
            return null;
        }

        return value;
    }

    public double? Number(string key, YamlNode node, double min)
    {
        var text = Text(key, node);
        if (text is null)
        {
            return null;
        }

        if (!double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            || !double.IsFinite(value))
        {
            Problems.Error(node, $"{key}: '{text}' is not a number.");
            return null;
        }

        if (value < min)
        {
            Problems.Error(node, $"{key}: '{text}' must be {min.ToString(CultureInfo.InvariantCulture)} or more.");
            return null;
        }

        return value;
    }

    /// <param name="key">Also picks the key's upper bound from <see cref="DurationLimits"/>.</param>
    public TimeSpan? Duration(string key, YamlNode node, bool positive = false)
    {
        var text = Text(key, node);
        if (text is null)
        {
            return null;
        }

        if (!Config.Duration.TryParse(text, out var value))
        {
            Problems.Error(node, $"{key}: '{text}' is not a valid duration ({Config.Duration.Hint}).");
            return null;
        }

        if (positive && value <= TimeSpan.Zero)
        {
            Problems.Error(node, $"{key}: '{text}' must be longer than zero.");
            return null;
        }

        var max = DurationLimits.MaxFor(key);
        if (value > max)
        {
            Problems.Error(node, $"{key}: '{text}' is longer than the limit of {Config.Duration.Format(max)}.");
            return null;
        }

        return value;
    }

    public long? Size(string key, YamlNode node)
    {
        var text = Text(key, node);
        if (text is null)
        {
            return null;
        }

        if (!ByteSize.TryParse(text, out var value))
        {
            Problems.Error(node, $"{key}: '{text}' is not a valid size ({ByteSize.Hint}).");
            return null;
        }

        if (value <= 0)
        {
            Problems.Error(node, $"{key}: '{text}' must be more than zero.");
            return null;
        }

        return value;
    }

    /// <summary>A list of values, or one string split into words the way a shell would.</summary>
    public List<string>? Words(string key, YamlNode node)
    {
        switch (node)
        {
            case YamlSequenceNode sequence:
                var items = new List<string>();
                foreach (var item in sequence)
                {
                    var text = Text($"each item of {key}", item);
                    if (text is null)
                    {
                        return null;
                    }

                    items.Add(text);
                }

                return items;
            case YamlScalarNode scalar:
                if (CommandLine.TrySplit(scalar.Value ?? "", out var words, out var error))
                {
                    return words;
                }

                Problems.Error(node, $"{key}: '{scalar.Value}' {error}.");
                return null;
            default:
                Problems.Error(node, $"{key} must be a list or a string, not a {Describe(node)}.");
                return null;
        }
    }

    /// <summary>A list of values (a single scalar counts as a list of one).</summary>
    public static List<YamlNode> Items(YamlNode node) =>
        node is YamlSequenceNode sequence ? [.. sequence] : [node];

    public YamlMappingNode? Mapping(string key, YamlNode node)
    {
        if (node is YamlMappingNode mapping)
        {
            return mapping;
        }

        Problems.Error(node, $"{key} must be a mapping (key: value), not a {Describe(node)}.");
        return null;
    }

    public static string Describe(YamlNode node) => node switch
    {
        YamlSequenceNode => "list",
        YamlMappingNode => "mapping",
        _ => "value",
    };
}
