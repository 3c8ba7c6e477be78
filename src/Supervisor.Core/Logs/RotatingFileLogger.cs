using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;

namespace Supervisor.Core.Logs;

/// <summary>One category's logger of a <see cref="RotatingFileLoggerProvider"/>.</summary>
internal sealed class RotatingFileLogger(string category, RotatingFileLoggerProvider provider) : ILogger
{
    private const string Indent = "    ";

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception,
        Func<TState, Exception?, string> formatter)
    {
        if (!IsEnabled(logLevel))
        {
            return;
        }
        // The time is taken here, not when the line reaches the disk.
        provider.Enqueue(Format(provider.Time.GetLocalNow(), logLevel, category, formatter(state, exception), exception));
    }

    /// <summary><c>2026-11-22T09:00:00.123+01:00 info  [Category] message</c>, continuation lines indented, ending in '\n'.</summary>
    internal static string Format(DateTimeOffset now, LogLevel level, string category, string message, Exception? exception)
    {
        var line = new StringBuilder(64 + category.Length + message.Length);
        line.Append(now.ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture))
            .Append(' ')
            .Append(LevelName(level))
            .Append(" [")
            .Append(category)
            .Append("] ");
        AppendIndented(line, message, first: true);
        if (exception is not null)
        {
            AppendIndented(line, exception.ToString(), first: false);
        }
        return line.ToString();
    }

    private static void AppendIndented(StringBuilder line, string text, bool first)
    {
        foreach (var part in text.AsSpan().TrimEnd().EnumerateLines())
        {
            if (!first)
            {
                line.Append(Indent);
            }
            line.Append(part).Append('\n');
            first = false;
        }
        if (first)
        {
            line.Append('\n'); // Empty message.
        }
    }

    private static string LevelName(LogLevel level) => level switch
    {
        LogLevel.Trace => "trace",
        LogLevel.Debug => "debug",
        LogLevel.Information => "info ",
        LogLevel.Warning => "warn ",
        LogLevel.Error => "error",
        _ => "crit ",
    };
}
