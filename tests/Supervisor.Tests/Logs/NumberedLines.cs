using System.IO.Compression;
using System.Text;
using Supervisor.Core.Logs;
using Xunit;

namespace Supervisor.Tests.Logs;

/// <summary>
/// Lines that check themselves: <c>"{stream}{number:D8} {filler}"</c>, where the filler's length
/// follows from the number, so a line that was split, merged or cut shows up as malformed.
/// </summary>
internal static class NumberedLines
{
    public static string Line(int number, char stream = 'A') =>
        $"{stream}{number:D8} {new string((char)('a' + number % 26), number * 7 % 97)}";

    public static byte[] Bytes(int from, int count, char stream = 'A')
    {
        var text = new StringBuilder();
        for (var i = from; i < from + count; i++)
        {
            text.Append(Line(i, stream)).Append('\n');
        }
        return Encoding.UTF8.GetBytes(text.ToString());
    }

    /// <summary>Asserts the lines of <paramref name="stream"/> among <paramref name="lines"/> are exactly from..from+count-1, in order, each whole.</summary>
    public static void AssertSequence(IEnumerable<string> lines, int from, int count, char stream = 'A')
    {
        var expected = from;
        foreach (var line in lines.Where(l => l.Length > 0 && l[0] == stream))
        {
            Assert.Equal(Line(expected, stream), line);
            expected++;
        }
        Assert.Equal(from + count, expected);
    }

    /// <summary>Every line of the log and its rotated files, oldest first, .gz files decompressed.</summary>
    public static List<string> ReadAll(string logPath)
    {
        var lines = new List<string>();
        foreach (var file in LogPaths.ExistingOldestFirst(logPath))
        {
            lines.AddRange(SplitFile(file));
        }
        return lines;
    }

    public static List<string> SplitFile(string file)
    {
        var bytes = ReadBytes(file);
        Assert.True(bytes.Length == 0 || bytes[^1] == '\n', $"{file} does not end with a whole line.");
        return [.. Encoding.UTF8.GetString(bytes).Split('\n')[..^1]];
    }

    public static byte[] ReadBytes(string file)
    {
        if (!file.EndsWith(".gz", StringComparison.Ordinal))
        {
            return File.ReadAllBytes(file);
        }
        using var gzip = new GZipStream(File.OpenRead(file), CompressionMode.Decompress);
        using var content = new MemoryStream();
        gzip.CopyTo(content);
        return content.ToArray();
    }
}
