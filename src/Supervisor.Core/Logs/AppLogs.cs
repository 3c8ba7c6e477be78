using Supervisor.Core.Config;

namespace Supervisor.Core.Logs;

/// <summary>
/// The log files of one app, open for its whole life so output is appended across restarts.
/// With merge_logs both streams share one file (the file serializes whole lines).
/// </summary>
public sealed class AppLogs : IAsyncDisposable
{
    private readonly LinePrefixer? _prefixer;

    private AppLogs(RotatingLogFile output, RotatingLogFile error, LinePrefixer? prefixer)
    {
        Out = output;
        Err = error;
        _prefixer = prefixer;
    }

    public RotatingLogFile Out { get; }
    public RotatingLogFile Err { get; }
    public string OutPath => Out.Path;
    public string ErrPath => Err.Path;

    public static AppLogs Open(AppSpec spec, string supHome, TimeProvider time)
    {
        var outPath = spec.OutFile ?? LogPaths.Out(supHome, spec.Name);
        var errPath = spec.MergeLogs ? outPath : spec.ErrorFile ?? LogPaths.Err(supHome, spec.Name);
        var output = new RotatingLogFile(new LogFileOptions(outPath, spec.LogMaxSize, spec.LogRetain, spec.LogCompress), time);
        var error = errPath == outPath
            ? output
            : new RotatingLogFile(new LogFileOptions(errPath, spec.LogMaxSize, spec.LogRetain, spec.LogCompress), time);
        var prefixer = spec.LogDateFormat is { } format ? new LinePrefixer(format, time) : null;
        return new AppLogs(output, error, prefixer);
    }

    /// <summary>
    /// Drains both streams until every holder of the pipes closes them (grandchildren may keep
    /// them open after the child exits, so this may outlive the process).
    /// </summary>
    public Task PumpAsync(Stream stdout, Stream stderr, CancellationToken cancellationToken) =>
        Task.WhenAll(
            OutputPump.PumpAsync(stdout, Out, _prefixer, null, cancellationToken),
            OutputPump.PumpAsync(stderr, Err, _prefixer, null, cancellationToken));

    public async Task TruncateAsync(CancellationToken cancellationToken)
    {
        await Out.TruncateAsync(cancellationToken);
        if (!ReferenceEquals(Out, Err)) await Err.TruncateAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await Out.DisposeAsync();
        if (!ReferenceEquals(Out, Err)) await Err.DisposeAsync();
    }
}
