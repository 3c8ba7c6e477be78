namespace Supervisor.Core.Config;

/// <summary>
/// `log_rotate`: besides the size limit, start a new log file at each local day (or hour)
/// boundary, the closed one named by its date (docs/ecosystem.md, "Logs").
/// </summary>
public enum LogRotation
{
    /// <summary>By size only (log_max_size), as before: NAME-out.log.1, .2, ...</summary>
    None,
    /// <summary>At local midnight: NAME-out-2026-12-03.log.</summary>
    Daily,
    /// <summary>At each local hour: NAME-out-2026-12-03-14.log.</summary>
    Hourly,
}

public static class LogRotations
{
    public static string ToWire(this LogRotation rotation) => rotation switch
    {
        LogRotation.Daily => "daily",
        LogRotation.Hourly => "hourly",
        _ => "size",
    };

    /// <summary>"daily", "hourly", or "size" (the default: by log_max_size only).</summary>
    public static bool TryParse(string? text, out LogRotation rotation)
    {
        (var ok, rotation) = text?.Trim().ToLowerInvariant() switch
        {
            "daily" => (true, LogRotation.Daily),
            "hourly" => (true, LogRotation.Hourly),
            "size" or "none" => (true, LogRotation.None),
            _ => (false, LogRotation.None),
        };
        return ok;
    }
}
