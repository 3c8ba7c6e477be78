namespace Supervisor.Core.Config.Js;

/// <summary>Node's `path` (POSIX flavour) for ecosystem files: join, resolve, normalize and friends, as Node computes them.</summary>
internal static class NodePath
{
    public static string Join(IReadOnlyList<string> parts)
    {
        var joined = string.Join('/', parts.Where(p => p.Length > 0));
        return joined.Length == 0 ? "." : Normalize(joined);
    }

    /// <summary>Right to left until a path is absolute; relative to <paramref name="cwd"/> (the file's folder) when none is.</summary>
    public static string Resolve(string cwd, IReadOnlyList<string> parts)
    {
        var resolved = "";
        for (var i = parts.Count - 1; i >= 0 && !resolved.StartsWith('/'); i--)
        {
            if (parts[i].Length == 0) continue;
            resolved = resolved.Length == 0 ? parts[i] : parts[i] + "/" + resolved;
        }
        if (!resolved.StartsWith('/')) resolved = cwd + "/" + resolved;
        var normal = Normalize(resolved);
        return normal.Length > 1 ? normal.TrimEnd('/') : normal;
    }

    public static string Normalize(string path)
    {
        if (path.Length == 0) return ".";
        var absolute = path.StartsWith('/');
        var trailing = path.EndsWith('/');
        var segments = new List<string>();
        foreach (var segment in path.Split('/'))
        {
            if (segment is "" or ".") continue;
            if (segment == "..")
            {
                if (segments.Count > 0 && segments[^1] != "..") segments.RemoveAt(segments.Count - 1);
                else if (!absolute) segments.Add("..");
                continue;
            }
            segments.Add(segment);
        }

        var body = string.Join('/', segments);
        if (absolute) body = "/" + body;
        if (body.Length == 0) body = ".";
        if (trailing && !body.EndsWith('/')) body += "/";
        return body;
    }

    public static string Dirname(string path)
    {
        if (path.Length == 0) return ".";
        var trimmed = path.Length > 1 ? path.TrimEnd('/') : path;
        if (trimmed.Length == 0) return "/";
        var slash = trimmed.LastIndexOf('/');
        return slash switch
        {
            < 0 => ".",
            0 => "/",
            _ => trimmed[..slash].TrimEnd('/') is { Length: > 0 } d ? d : "/",
        };
    }

    public static string Basename(string path, string? extension)
    {
        var trimmed = path.TrimEnd('/');
        var name = trimmed[(trimmed.LastIndexOf('/') + 1)..];
        return extension is { Length: > 0 } && name.EndsWith(extension, StringComparison.Ordinal) && name != extension
            ? name[..^extension.Length]
            : name;
    }

    public static string Extname(string path)
    {
        var name = Basename(path, null);
        var dot = name.LastIndexOf('.');
        return dot <= 0 ? "" : name[dot..];
    }

    public static string Relative(string cwd, string from, string to)
    {
        var a = Resolve(cwd, [from]).Split('/', StringSplitOptions.RemoveEmptyEntries);
        var b = Resolve(cwd, [to]).Split('/', StringSplitOptions.RemoveEmptyEntries);
        var common = 0;
        while (common < a.Length && common < b.Length && a[common] == b[common]) common++;
        return string.Join('/', Enumerable.Repeat("..", a.Length - common).Concat(b.Skip(common)));
    }
}
