namespace Supervisor.Core.Config;

/// <summary>
/// The `//` and `/* */` comments PM2 accepts in a `process.json` (it reads JSON with a lenient
/// parser), turned into spaces so the YAML reader sees plain JSON. Every other character keeps its
/// place, so a problem's line and column are still those of the file as written.
/// </summary>
public static class JsonComments
{
    /// <summary>Whether <paramref name="path"/> is read as JSON (by its extension, as PM2 does).</summary>
    public static bool IsJson(string path) => path.EndsWith(".json", StringComparison.OrdinalIgnoreCase);

    /// <summary><paramref name="text"/> with its comments blanked; strings (with their escapes) untouched.</summary>
    public static string Blank(string text)
    {
        if (!text.Contains('/', StringComparison.Ordinal)) return text;

        var chars = text.ToCharArray();
        var inString = false;
        for (var i = 0; i < chars.Length; i++)
        {
            var c = chars[i];
            if (inString)
            {
                if (c == '\\') i++;
                else if (c == '"') inString = false;
            }
            else if (c == '"')
            {
                inString = true;
            }
            else if (c == '/' && i + 1 < chars.Length && chars[i + 1] == '/')
            {
                for (; i < chars.Length && chars[i] != '\n'; i++) chars[i] = ' ';
            }
            else if (c == '/' && i + 1 < chars.Length && chars[i + 1] == '*')
            {
                // An unclosed comment runs to the end, as it would in JavaScript.
                chars[i] = chars[i + 1] = ' ';
                for (i += 2; i < chars.Length && !(chars[i] == '*' && i + 1 < chars.Length && chars[i + 1] == '/'); i++)
                {
                    if (chars[i] != '\n' && chars[i] != '\r') chars[i] = ' ';
                }
                if (i < chars.Length) chars[i] = ' ';
                if (i + 1 < chars.Length) chars[++i] = ' ';
            }
        }

        return new string(chars);
    }
}
