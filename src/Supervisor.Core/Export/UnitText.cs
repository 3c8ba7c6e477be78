using System.Text;

namespace Supervisor.Core.Export;

/// <summary>Writes systemd unit files: sections of Key=Value lines, values quoted for systemd.</summary>
internal sealed class UnitText
{
    private readonly StringBuilder _text = new();

    public UnitText(IEnumerable<string> header)
    {
        foreach (var line in header) _text.Append("# ").Append(line).Append('\n');
    }

    public UnitText Section(string name)
    {
        _text.Append('\n').Append('[').Append(name).Append("]\n");
        return this;
    }

    public UnitText Set(string key, string value)
    {
        _text.Append(key).Append('=').Append(value).Append('\n');
        return this;
    }

    public UnitText Comment(string line)
    {
        _text.Append("# ").Append(line).Append('\n');
        return this;
    }

    public override string ToString() => _text.ToString();

    /// <summary>A command line for ExecStart=: every word double-quoted; % and $ doubled so systemd expands neither.</summary>
    public static string Command(string fileName, IEnumerable<string> args) =>
        string.Join(' ', new[] { fileName }.Concat(args).Select(Quote));

    public static string Quote(string word)
    {
        var escaped = new StringBuilder("\"");
        foreach (var c in word)
        {
            switch (c)
            {
                case '\\': escaped.Append(@"\\"); break;
                case '"': escaped.Append("\\\""); break;
                case '\n': escaped.Append(@"\n"); break;
                case '%': escaped.Append("%%"); break;
                case '$': escaped.Append("$$"); break;
                default: escaped.Append(c); break;
            }
        }
        return escaped.Append('"').ToString();
    }

    /// <summary>A path value: systemd takes it unquoted, with % doubled.</summary>
    public static string PathValue(string path) => path.Replace("%", "%%", StringComparison.Ordinal);

    public static string Seconds(TimeSpan t) =>
        t.TotalMilliseconds % 1000 == 0 ? $"{(long)t.TotalSeconds}s" : $"{(long)t.TotalMilliseconds}ms";
}
