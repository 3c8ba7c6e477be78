namespace Supervisor.Core.Config.Js;

/// <summary>
/// The `.env` format as the dotenv package reads it: KEY=VALUE lines, `export ` allowed, `#`
/// comments, single/double/back quotes (double quotes expand \n), no variable expansion.
/// </summary>
internal static class DotenvFile
{
    public static IEnumerable<KeyValuePair<string, string>> Parse(string text)
    {
        foreach (var raw in text.ReplaceLineEndings("\n").Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            if (line.StartsWith("export ", StringComparison.Ordinal)) line = line[7..].TrimStart();
            var equals = line.IndexOf('=');
            if (equals <= 0) continue;
            var key = line[..equals].Trim();
            if (!key.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-')) continue;
            yield return new(key, Value(line[(equals + 1)..].Trim()));
        }
    }

    private static string Value(string value)
    {
        if (value.Length >= 2 && value[0] is '"' or '\'' or '`')
        {
            var quote = value[0];
            var end = value.IndexOf(quote, 1);
            if (end > 0)
            {
                var inner = value[1..end];
                return quote == '"' ? inner.Replace("\\n", "\n").Replace("\\r", "\r") : inner;
            }
        }

        var comment = value.IndexOf(" #", StringComparison.Ordinal);
        return (comment >= 0 ? value[..comment] : value).TrimEnd();
    }
}
