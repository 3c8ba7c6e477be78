namespace Supervisor.Core.Logs;

/// <summary>
/// A <see cref="RotatingLogFile"/> could not write, rotate or compress. Writing keeps going: lines
/// that could not be written are dropped (counted in <see cref="RotatingLogFile.DroppedBytes"/>)
/// so the app is never blocked on a full disk.
/// </summary>
public sealed class LogFileErrorEventArgs(string path, string operation, Exception exception) : EventArgs
{
    public string Path { get; } = path;

    /// <summary><c>write</c>, <c>rotate</c> or <c>compress</c>.</summary>
    public string Operation { get; } = operation;

    public Exception Exception { get; } = exception;
}
