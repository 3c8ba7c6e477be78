namespace Supervisor.Core.Logs;

/// <summary>
/// `log_rotate: daily|hourly`: the live file holds one local day's (or hour's) lines; the first
/// write after the boundary moves it to its dated name first (<see cref="DatedFileSet"/>). The
/// check is made at each write under the injected clock, so no timer is needed and a quiet app's
/// file keeps its last day's lines until it writes again (its name then says the right day).
/// </summary>
public sealed partial class RotatingLogFile
{
    private readonly DatedFileSet? _dated;
    /// <summary>The local start of the period the live file's lines belong to. Guarded by _gate.</summary>
    private DateTime _period;

    private DateTime CurrentPeriod() => LogPeriod.Start(_time.GetUtcNow(), _time.LocalTimeZone, _options.Rotation);

    /// <summary>A file left from before (a daemon restart): its lines belong to the period it was last written in.</summary>
    private DateTime PeriodOfExisting()
    {
        if (_dated is null || _length == 0) return CurrentPeriod();
        try
        {
            return LogPeriod.Start(File.GetLastWriteTimeUtc(Path), _time.LocalTimeZone, _options.Rotation);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return CurrentPeriod();
        }
    }

    private void RotateIfPeriodEnded()
    {
        if (_dated is null) return;
        var now = CurrentPeriod();
        if (now == _period) return;
        // The file is named for the period that ended: rotate before _period moves on.
        if (_length > 0) Rotate();
        _period = now;
    }
}
