using System.Text;
using System.Text.Json;

namespace Supervisor.Core.Config.Js;

/// <summary>
/// Where each line of the JSON that a JS file exported sits in it (`apps[1].env.PORT`), so a
/// problem the reader finds on that line can name the key instead of a line of text the user never saw.
/// </summary>
internal sealed class JsonLineMap
{
    private readonly Dictionary<int, string> _paths = [];

    public JsonLineMap(string json)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        var lineStarts = new List<int> { 0 };
        for (var i = 0; i < bytes.Length; i++)
        {
            if (bytes[i] == '\n') lineStarts.Add(i + 1);
        }

        var frames = new List<Frame>();
        string? property = null;
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { MaxDepth = EcosystemLimits.MaxNestingDepth + 8 });
        while (reader.Read())
        {
            var line = LineOf(lineStarts, (int)reader.TokenStartIndex);
            switch (reader.TokenType)
            {
                case JsonTokenType.PropertyName:
                    property = Join(frames.Count == 0 ? "" : frames[^1].Path, reader.GetString()!);
                    _paths.TryAdd(line, property);
                    break;
                case JsonTokenType.StartObject or JsonTokenType.StartArray:
                    var path = ValuePath(frames, property);
                    _paths.TryAdd(line, path);
                    frames.Add(new Frame(reader.TokenType == JsonTokenType.StartArray, path));
                    break;
                case JsonTokenType.EndObject or JsonTokenType.EndArray:
                    frames.RemoveAt(frames.Count - 1);
                    break;
                default:
                    _paths.TryAdd(line, ValuePath(frames, property));
                    break;
            }
        }
    }

    /// <summary>The JSON path on a 1-based line, or "" (the top) when nothing starts there.</summary>
    public string PathAt(int line) => _paths.GetValueOrDefault(line, "");

    private static string ValuePath(List<Frame> frames, string? property)
    {
        if (frames.Count == 0) return "";
        var top = frames[^1];
        if (!top.IsArray) return property ?? top.Path;
        top.Index++;
        return $"{top.Path}[{top.Index}]";
    }

    private static string Join(string parent, string name) => parent.Length == 0 ? name : parent + "." + name;

    private static int LineOf(List<int> lineStarts, int offset)
    {
        var index = lineStarts.BinarySearch(offset);
        return (index >= 0 ? index : ~index - 1) + 1;
    }

    private sealed class Frame(bool isArray, string path)
    {
        public bool IsArray { get; } = isArray;
        public string Path { get; } = path;
        public int Index { get; set; } = -1;
    }
}
