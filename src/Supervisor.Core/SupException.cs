namespace Supervisor.Core;

/// <summary>
/// The one exception root for errors a user can cause or fix. Its message is a complete
/// sentence that names the thing at fault and the remedy; it crosses the RPC as an
/// application error code and reaches the user as one line on stderr.
/// </summary>
public sealed class SupException(SupError error, string message, Exception? inner = null)
    : Exception(message, inner)
{
    public SupError Error { get; } = error;

    /// <summary>Further lines (e.g. every problem in an ecosystem file), shown after the message.</summary>
    public IReadOnlyList<string> Details { get; init; } = [];

    public static SupException NoSuchApp(string name) =>
        new(SupError.NoSuchApp, $"No app named '{name}'. `sup ls` lists apps.");
}

/// <summary>
/// Stable reasons. The numbers are the JSON-RPC error codes (outside the reserved
/// -32768..-32000 range) and, modulo 256, never collide with the CLI's exit codes 0/1/130/143.
/// </summary>
public enum SupError
{
    NoSuchApp = 1001,
    InvalidConfig = 1002,
    NotAJob = 1003,
    AlreadyExists = 1004,
    DaemonNotRunning = 1005,
    DaemonAlreadyRunning = 1006,
    BadArgument = 1007,
    NotSupported = 1008,
    Io = 1009,
    Conflict = 1010,
}
