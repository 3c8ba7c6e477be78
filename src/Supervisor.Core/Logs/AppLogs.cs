using Microsoft.Extensions.Logging;
using Supervisor.Core.Config;

namespace Supervisor.Core.Logs;

/// <summary>
/// The log files of one app, open for its whole life so output is appended across restarts.
/// An error_file that names the out_file puts both streams in one file, and instances with
/// merge_logs share theirs (<see cref="SharedLogFiles"/>: the file serializes whole lines).
/// log_file adds a third file with both streams (<see cref="CombinedLog"/>).
/// </summary>
public sealed class AppLogs : IAsyncDisposable
{
    private readonly LinePrefixer? _prefixer;
    private readonly CombinedLog? _combined;

    private AppLogs(RotatingLogFile output, RotatingLogFile error, LinePrefixer? prefixer, CombinedLog? combined)
    {
        Out = output;
        Err = error;
        _prefixer = prefixer;
        _combined = combined;
    }

    /// <summary>PM2's log_file, when the app has one.</summary>
    public string? CombinedPath => _combined?.File.Path;

    public RotatingLogFile Out { get; }
    public RotatingLogFile Err { get; }
    public string OutPath => Out.Path;
    public string ErrPath => Err.Path;

    /// <summary>
    /// Shown every line of both streams of the children started from now on (a `ready: log:`
    /// check); null, the usual case, costs the pumps nothing.
    /// </summary>
    public Action<ReadOnlyMemory<byte>>? LineObserver { get; set; }

    /// <summary>Lines of both files dropped because they could not be written (disk full, folder gone).</summary>
    public long DroppedLines => Out.DroppedLines + (ReferenceEquals(Out, Err) ? 0 : Err.DroppedLines);

    /// <param name="log">Where a failing file is reported: once when writes start failing, once when they work again.</param>
    public static AppLogs Open(AppSpec spec, string supHome, TimeProvider time, ILogger? log = null)
    {
        LogFileOptions Options(string path) => new(path, spec.LogMaxSize, spec.LogRetain, spec.LogCompress) { Rotation = spec.LogRotate };
        var output = SharedLogFiles.Acquire(Options(LogPaths.OutOf(supHome, spec)), time);
        var error = SharedLogFiles.Acquire(Options(LogPaths.ErrOf(supHome, spec)), time);
        var prefixer = spec.LogDateFormat is { } format ? new LinePrefixer(format, time) : null;
        var combined = LogPaths.CombinedOf(supHome, spec) is { } combinedPath
            ? new CombinedLog(SharedLogFiles.Acquire(Options(combinedPath), time), prefixer)
            : null;
        if (log is not null)
        {
            Report(output, spec.Name, log);
            if (!ReferenceEquals(output, error)) Report(error, spec.Name, log);
            if (combined is not null) Report(combined.File, spec.Name, log);
        }
        return new AppLogs(output, error, prefixer, combined);
    }

    private Action<ReadOnlyMemory<byte>>? CombinedObserver => _combined is { } combined ? combined.Add : null;

    // Each line goes to the combined log (log_file) and to a ready: log check, whichever are set.
    private Action<ReadOnlyMemory<byte>>? Observers => (LineObserver, CombinedObserver) switch
    {
        (null, var combined) => combined,
        (var line, null) => line,
        (var line, var combined) => bytes => { combined(bytes); line(bytes); },
    };

    /// <summary>
    /// Drains both streams until every holder of the pipes closes them (grandchildren may keep
    /// them open after the child exits, so this may outlive the process).
    /// </summary>
    public Task PumpAsync(Stream stdout, Stream stderr, CancellationToken cancellationToken) =>
        Task.WhenAll(
            OutputPump.PumpAsync(stdout, Out, _prefixer, Observers, cancellationToken),
            OutputPump.PumpAsync(stderr, Err, _prefixer, Observers, cancellationToken));

    /// <summary>
    /// <see cref="PumpAsync(Stream, Stream, CancellationToken)"/> for the app's own pipes (Linux):
    /// output leaves a pipe only once it is in the file (<see cref="PipeOutputPump"/>).
    /// </summary>
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public Task PumpAsync(Microsoft.Win32.SafeHandles.SafePipeHandle stdout, Microsoft.Win32.SafeHandles.SafePipeHandle stderr, CancellationToken cancellationToken) =>
        Task.WhenAll(
            PipeOutputPump.PumpAsync(stdout, Out, _prefixer, Observers, cancellationToken),
            PipeOutputPump.PumpAsync(stderr, Err, _prefixer, Observers, cancellationToken));

    // Disk full used to drop app output without a word (issue 14): say so once per episode.
    private static void Report(RotatingLogFile file, string app, ILogger log)
    {
        if (file.RefusedAtOpen is { } refused)
            log.LogError("{App}: refusing its log file: {Error} Its output is dropped, and counted in sup ls, until the path is a file of its own",
                app, refused.Message);

        file.Failed += (_, e) =>
        {
            if (e.Operation == "write")
                log.LogError("{App}: cannot write {Path} ({Error}); its output is dropped, and counted in sup ls, until the file can be written again",
                    app, e.Path, e.Exception.Message);
            else
                log.LogWarning("{App}: could not {Operation} {Path}: {Error}", app, e.Operation, e.Path, e.Exception.Message);
        };
        file.Recovered += (_, e) =>
            log.LogWarning("{App}: writing {Path} again; {Lines} lines ({Bytes} bytes) were dropped while it could not be written ({Total} in all)",
                app, e.Path, e.DroppedLines, e.DroppedBytes, file.DroppedLines);
    }

    public async Task TruncateAsync(CancellationToken cancellationToken)
    {
        await Out.TruncateAsync(cancellationToken);
        if (!ReferenceEquals(Out, Err)) await Err.TruncateAsync(cancellationToken);
        if (_combined is not null) await _combined.File.TruncateAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (_combined is not null) await _combined.DisposeAsync();
        await SharedLogFiles.ReleaseAsync(Out);
        await SharedLogFiles.ReleaseAsync(Err);
    }
}
