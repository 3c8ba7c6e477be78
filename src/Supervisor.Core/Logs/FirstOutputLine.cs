using System.Text;

namespace Supervisor.Core.Logs;

/// <summary>
/// The first line an attempt wrote to a log file, read from where the file ended when the attempt
/// began: the "Last error" of `sup jobs` is what the job said on stderr, not only its exit code.
/// </summary>
public static class FirstOutputLine
{
    private const int MaxBytes = 8 * 1024;
    private const int MaxChars = 300;

    /// <param name="from">The file's length when the attempt started; a shorter file (rotated, flushed) is read from its start.</param>
    /// <returns>The first non-blank line that is not a run header, trimmed and cut to 300 characters; null if none or unreadable.</returns>
    public static string? Read(string path, long from)
    {
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1);
            if (file.Length < from) from = 0;
            file.Position = from;
            var buffer = new byte[(int)Math.Min(MaxBytes, file.Length - from)];
            var read = file.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
            foreach (var raw in Encoding.UTF8.GetString(buffer, 0, read).Split('\n'))
            {
                var line = raw.Trim();
                if (line.Length == 0 || line.StartsWith("--- sup run ", StringComparison.Ordinal)) continue;
                return line.Length > MaxChars ? line[..MaxChars] + "…" : line;
            }
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
