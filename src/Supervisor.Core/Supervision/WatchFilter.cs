using System.Text;
using System.Text.RegularExpressions;

namespace Supervisor.Core.Supervision;

/// <summary>
/// Which changes under an app's watch paths restart it. Never the app's own log and PID files
/// (a log line would restart the app, whose start writes a log line...). Without ignore_watch,
/// PM2's default: nothing under a dot folder or file (.git, .cache) and nothing under
/// node_modules. With it, each entry is matched against the path relative to its watch root:
/// a plain name or path ("node_modules", "client/img") matches that folder or file anywhere
/// (and all under it); a glob ("*.log", "dist/**/*.map") matches by wildcard (a pattern without
/// '/' against each name along the path); an entry that looks like a regex (a backslash, '^',
/// '$', '(' or '|', as PM2 files write "\\.git") is a regex.
/// </summary>
public sealed class WatchFilter
{
    private static readonly Regex Pm2Default = new(@"(^|/)\.|(^|/)node_modules(/|$)", RegexOptions.CultureInvariant);

    private readonly IReadOnlyList<string> _roots;
    private readonly IReadOnlyList<Func<string, bool>> _ignores;
    private readonly IReadOnlyCollection<string> _ownFiles;

    /// <param name="roots">Absolute watch paths (folders or files).</param>
    /// <param name="ignore">ignore_watch as written; null = PM2's default.</param>
    /// <param name="ownFiles">Absolute paths of the app's log and PID files (rotated copies count too).</param>
    public WatchFilter(IReadOnlyList<string> roots, IReadOnlyList<string>? ignore, IReadOnlyCollection<string> ownFiles)
    {
        _roots = [.. roots.Select(r => Path.TrimEndingDirectorySeparator(Path.GetFullPath(r)))];
        _ownFiles = ownFiles;
        _ignores = ignore is null
            ? [relative => Pm2Default.IsMatch(relative)]
            : [.. ignore.Select(Compile)];
    }

    /// <summary>True when a change of <paramref name="path"/> (absolute) restarts nothing.</summary>
    public bool Ignores(string path)
    {
        var full = Path.GetFullPath(path);
        foreach (var own in _ownFiles)
        {
            // app-out.log, and app-out.log.1 / .1.gz that rotation makes of it.
            if (full == own || full.StartsWith(own + ".", StringComparison.Ordinal))
            {
                return true;
            }
        }

        var relative = Relative(full);
        return _ignores.Any(ignored => ignored(relative));
    }

    private string Relative(string full)
    {
        foreach (var root in _roots)
        {
            if (full == root)
            {
                return Path.GetFileName(full);
            }

            if (full.StartsWith(root + "/", StringComparison.Ordinal))
            {
                return full[(root.Length + 1)..];
            }
        }

        return full.TrimStart('/');
    }

    private static Func<string, bool> Compile(string entry)
    {
        var pattern = entry.Trim();
        if (pattern.IndexOfAny(['\\', '^', '$', '(', '|']) >= 0)
        {
            try
            {
                var regex = new Regex(pattern, RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100));
                // Matched against "/relative" too, so "[\\/]\\." (PM2's dot rule) sees the first name.
                return relative => regex.IsMatch("/" + relative);
            }
            catch (ArgumentException)
            {
                // Not a regex after all: taken as a name below.
            }
        }

        pattern = TrimDotSlash(pattern).TrimEnd('/');
        if (pattern.Length == 0)
        {
            return _ => false;
        }

        if (pattern.IndexOfAny(['*', '?']) >= 0)
        {
            var glob = GlobRegex(pattern);
            return pattern.Contains('/')
                ? relative => glob.IsMatch(relative) || Prefixes(relative).Any(glob.IsMatch)
                : relative => relative.Split('/').Any(glob.IsMatch);
        }

        return relative => ("/" + relative + "/").Contains("/" + pattern + "/", StringComparison.Ordinal);
    }

    private static string TrimDotSlash(string pattern) => pattern.StartsWith("./", StringComparison.Ordinal) ? pattern[2..] : pattern;

    /// <summary>"a/b/c" → "a", "a/b": a glob naming a folder ignores what is under it.</summary>
    private static IEnumerable<string> Prefixes(string relative)
    {
        for (var i = relative.IndexOf('/'); i > 0; i = relative.IndexOf('/', i + 1))
        {
            yield return relative[..i];
        }
    }

    private static Regex GlobRegex(string glob)
    {
        var regex = new StringBuilder("^");
        for (var i = 0; i < glob.Length; i++)
        {
            var c = glob[i];
            if (c == '*' && i + 1 < glob.Length && glob[i + 1] == '*')
            {
                regex.Append(".*");
                i++;
                if (i + 1 < glob.Length && glob[i + 1] == '/')
                {
                    i++;
                    regex.Append("/?");
                }
            }
            else if (c == '*')
            {
                regex.Append("[^/]*");
            }
            else if (c == '?')
            {
                regex.Append("[^/]");
            }
            else
            {
                regex.Append(Regex.Escape(c.ToString()));
            }
        }

        return new Regex(regex.Append('$').ToString(), RegexOptions.CultureInvariant);
    }
}
