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
    public static ILoggerFactory Create(string path, LogLevel min, TimeProvider time)
    {
        var provider = new RotatingFileLoggerProvider(path, time);
        var factory = new LoggerFactory([], new LoggerFilterOptions { MinLevel = min });
        // Added after construction so the factory owns it and disposes it (providers passed to
        // the constructor, or registered through LoggerFactory.Create, are not disposed by it).
        factory.AddProvider(provider);
        return factory;
    }
}
