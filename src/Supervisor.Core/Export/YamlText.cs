using System.Globalization;
using System.Text;

namespace Supervisor.Core.Export;

/// <summary>Writes block YAML by hand: mappings and sequences at an indent, strings double-quoted (JSON-style escapes are YAML).</summary>
internal sealed class YamlText
{
    private readonly StringBuilder _text = new();

    public YamlText Line(int indent, string text)
    {
        _text.Append(' ', indent * 2).Append(text).Append('\n');
        return this;
    }

    public YamlText Comment(string text) => Line(0, "# " + text);

    public override string ToString() => _text.ToString();

    public static string Str(string value)
    {
        var s = new StringBuilder("\"");
        foreach (var c in value)
        {
            switch (c)
            {
                case '\\': s.Append(@"\\"); break;
                case '"': s.Append("\\\""); break;
                case '\n': s.Append(@"\n"); break;
                case '\t': s.Append(@"\t"); break;
                default:
                    if (c < ' ') s.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    else s.Append(c);
                    break;
            }
        }
        return s.Append('"').ToString();
    }

    public static string Int(long value) => value.ToString(CultureInfo.InvariantCulture);
}
