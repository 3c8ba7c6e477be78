using Microsoft.Extensions.Logging;

namespace Supervisor.Core.Logs;

/// <summary>The daemon's logging set up in one call.</summary>
public static class DaemonLog
{
    /// <summary>
    /// A logger factory writing to <paramref name="path"/> (<c>$SUP_HOME/daemon.log</c>) through a
    /// <see cref="RotatingFileLoggerProvider"/> (10 MB, 5 kept). Disposing the factory writes
    /// what is queued and closes the file.
    /// </summary>
    /// <param name="rotation">daily/hourly: also a new daemon.log per local day or hour (daemon-2026-12-03.log kept), as app logs with log_rotate.</param>
    public static ILoggerFactory Create(string path, LogLevel min, TimeProvider time, Config.LogRotation rotation = Config.LogRotation.None)
    {
        var provider = rotation == Config.LogRotation.None
            ? new RotatingFileLoggerProvider(path, time)
            : new RotatingFileLoggerProvider(new LogFileOptions(path, RotatingFileLoggerProvider.DefaultMaxSize, DailyRetain, Compress: false) { Rotation = rotation }, time);
        var factory = new LoggerFactory([], new LoggerFilterOptions { MinLevel = min });
        // Added after construction so the factory owns it and disposes it (providers passed to
        // the constructor, or registered through LoggerFactory.Create, are not disposed by it).
        factory.AddProvider(provider);
        return factory;
    }

    /// <summary>Dated daemon logs kept under SUP_DAEMON_LOG_ROTATE: two weeks of days.</summary>
    public const int DailyRetain = 14;

    /// <summary>
    /// SUP_DAEMON_LOG_ROTATE=daily|hourly in the daemon's environment (the daemon has no config
    /// file of its own; the ecosystem files it loads come later than its log). Unset or unknown: by size.
    /// </summary>
    public static Config.LogRotation RotationFromEnvironment() =>
        Config.LogRotations.TryParse(Environment.GetEnvironmentVariable("SUP_DAEMON_LOG_ROTATE"), out var rotation) ? rotation : Config.LogRotation.None;
}
