using System.Text;

namespace Supervisor.Core.Config;

/// <summary>
/// The interpreter a script's first line names: <c>#!/bin/bash -e</c> is /bin/bash with -e,
/// <c>#!/usr/bin/env bash</c> is bash looked up on PATH (as env would).
/// </summary>
internal sealed record Shebang(string Program, IReadOnlyList<string> Arguments)
{
    private const int MaxLine = 256;

    /// <returns>Null when the file has no #! line or cannot be read.</returns>
    public static Shebang? Read(string path)
    {
        string line;
        try
        {
            using var file = File.OpenRead(path);
            var buffer = new byte[MaxLine];
            var read = file.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
            line = Encoding.UTF8.GetString(buffer, 0, read);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        return Parse(line);
    }

    public static Shebang? Parse(string text)
    {
        if (!text.StartsWith("#!", StringComparison.Ordinal))
        {
            return null;
        }

        var end = text.IndexOf('\n');
        var words = CommandLine.SplitWords((end < 0 ? text[2..] : text[2..end]).TrimEnd('\r'));
        if (words.Length == 0)
        {
            return null;
        }

        // env's program is the next word (skipping env's own -S and options).
        if (Path.GetFileName(words[0]) == "env")
        {
            var rest = words.Skip(1).SkipWhile(w => w.StartsWith('-')).ToList();
            return rest.Count == 0 ? null : new Shebang(rest[0], rest[1..]);
        }

        // #!/bin/sh is what sup runs a .sh with anyway: keep the interpreter written as sh.
        return words is [var only] && Path.GetFileName(only) == "sh" ? null : new Shebang(words[0], words[1..]);
    }
}
