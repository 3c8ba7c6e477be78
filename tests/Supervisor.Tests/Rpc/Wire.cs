using System.Text;

namespace Supervisor.Tests.Rpc;

internal static class Wire
{
    /// <summary>A frame exactly as StreamJsonRpc writes it: the header, a blank line, the UTF-8 body.</summary>
    public static string Frame(string json) => $"Content-Length: {Encoding.UTF8.GetByteCount(json)}\r\n\r\n{json}";

    /// <summary>The JSON of a frame read back.</summary>
    public static string Body(string frame) => frame[(frame.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)..];
}
