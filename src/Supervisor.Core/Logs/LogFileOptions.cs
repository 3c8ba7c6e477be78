namespace Supervisor.Core.Logs;

/// <summary>
/// Where one log file lives and how it rotates.
/// </summary>
/// <param name="Path">The live file, e.g. <c>$SUP_HOME/logs/web-out.log</c>.</param>
/// <param name="MaxSize">Rotate once the file reaches this many bytes; 0 or less never rotates.</param>
/// <param name="Retain">Rotated files to keep (<c>.1</c> is the newest), compressed ones included; 0 keeps none.</param>
/// <param name="Compress">Gzip each rotated file to <c>.N.gz</c> in the background.</param>
public sealed record LogFileOptions(string Path, long MaxSize, int Retain, bool Compress)
{
    /// <summary>`log_rotate`: also rotate at each local day or hour, the closed file named by its date (<see cref="DatedFileSet"/>).</summary>
    public Config.LogRotation Rotation { get; init; }
}
