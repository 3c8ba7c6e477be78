using Supervisor.Core.Scheduling;

namespace Supervisor.Cli.Output;

/// <summary>
/// Short human forms for the tables that Core's <see cref="HumanTime"/> does not already give:
/// sizes ("12.4 MB"), uptimes in whole seconds ("3h 12m") and wire timestamps as "in 3m".
/// </summary>
public static class Human
{
    public static string Bytes(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} B",
        < 1024 * 1024 => $"{bytes / 1024.0:0.#} KB",
        < 1024L * 1024 * 1024 => $"{bytes / (1024.0 * 1024):0.#} MB",
        _ => $"{bytes / (1024.0 * 1024 * 1024):0.##} GB",
    };

    /// <summary>How long something has been up, to the second ("45s", "3m 5s", "3h 12m").</summary>
    public static string Uptime(long milliseconds) =>
        milliseconds < 1000 ? "0s" : HumanTime.Duration(TimeSpan.FromSeconds(milliseconds / 1000));

    /// <summary>An ISO 8601 time from the daemon as "in 3m" / "2m ago"; "-" when absent or unreadable.</summary>
    public static string Relative(string? iso, DateTimeOffset now) =>
        iso is not null && DateTimeOffset.TryParse(iso, System.Globalization.CultureInfo.InvariantCulture, out var at)
            ? HumanTime.Relative(at - now)
            : "-";
}
