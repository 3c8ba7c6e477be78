namespace Supervisor.Core.Logs;

/// <summary>A <see cref="RotatingLogFile"/> moved its content aside and started an empty file.</summary>
public sealed class LogRotatedEventArgs(string? rotatedPath, DateTimeOffset at) : EventArgs
{
    /// <summary>Where the old content went (<c>NAME-out.log.1</c>, gzipped later when compression is on); null when nothing is retained.</summary>
    public string? RotatedPath { get; } = rotatedPath;

    public DateTimeOffset At { get; } = at;
}
