using System.Text;

namespace Supervisor.Core.Logs;

/// <summary>
/// Log bytes to text lines: split on '\n' only (a '\r' before it is dropped), decoded as UTF-8
/// with invalid bytes shown as U+FFFD, the way an app's output is shown back to the user.
/// </summary>
internal static class Utf8Lines
{
    /// <summary>Decodes every line of <paramref name="bytes"/>; a last line without '\n' is included.</summary>
    public static void AddAll(ReadOnlySpan<byte> bytes, Action<string> add)
    {
        while (!bytes.IsEmpty)
        {
            var newline = bytes.IndexOf((byte)'\n');
            var line = newline < 0 ? bytes : bytes[..newline];
            add(Decode(line));
            bytes = newline < 0 ? default : bytes[(newline + 1)..];
        }
    }

    public static string Decode(ReadOnlySpan<byte> line)
    {
        if (line is [.., (byte)'\r'])
        {
            line = line[..^1];
        }
        return Encoding.UTF8.GetString(line);
    }
}
