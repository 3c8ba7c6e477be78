namespace Supervisor.Core.Logs;

/// <summary>A <see cref="RotatingLogFile"/> writes again after dropping lines; what that streak dropped.</summary>
public sealed class LogFileRecoveredEventArgs(string path, long droppedBytes, long droppedLines) : EventArgs
{
    public string Path { get; } = path;
    public long DroppedBytes { get; } = droppedBytes;
    public long DroppedLines { get; } = droppedLines;
}
