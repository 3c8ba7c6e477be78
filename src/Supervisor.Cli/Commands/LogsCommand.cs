using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Supervisor.Core;
using Supervisor.Core.Logs;
using Supervisor.Core.Platform;
using Supervisor.Core.Protocol;

namespace Supervisor.Cli.Commands;

/// <summary>
/// `sup logs [NAME]`: the last lines of each app's logs, then follow live until Ctrl+C.
/// The daemon says where the files are; the CLI reads and follows them directly (across
/// rotation and flush), so a noisy app costs the daemon nothing extra.
/// </summary>
public static class LogsCommand
{
    public static Command Create()
    {
        var name = new Argument<string?>("name") { Description = "App name (default: all apps).", Arity = ArgumentArity.ZeroOrOne };
        var lines = new Option<int>("--lines", "-n") { Description = "Lines to show from each file.", DefaultValueFactory = _ => 15 };
        var err = new Option<bool>("--err") { Description = "Only stderr." };
        var @out = new Option<bool>("--out") { Description = "Only stdout." };
        var nostream = new Option<bool>("--nostream") { Description = "Print and exit; do not follow." };
        var timestamps = new Option<bool>("--timestamps") { Description = "Prefix each line with the time it was read." };
        var json = new Option<bool>("--json") { Description = "One JSON object per line: app, stream, time, line." };
        var command = new Command("logs", "Show and follow app logs.") { name, lines, err, @out, nostream, timestamps, json };
        command.SetAction(async (parse, ct) =>
        {
            var n = parse.GetValue(name);
            var reply = await DaemonCall.InvokeAsync(d => d.LogPathsAsync(n is null or "all" ? null : n, ct), ct);
            var sources = Sources(reply, parse.GetValue(err), parse.GetValue(@out));
            // Not disposed: it does not own descriptor 1, and every line is flushed as written.
            var printer = new LinePrinter(StandardOutput(), parse.GetValue(json), parse.GetValue(timestamps));
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
            try
            {
                foreach (var source in sources)
                    // Across rotated files, oldest first: just after a rotation (a new day under
                    // log_rotate, or a size cut) the last lines are in the file before the live one.
                    foreach (var line in LogTail.ReadLastLines(LogPaths.ExistingOldestFirst(source.Path), parse.GetValue(lines)))
                        printer.Print(source, line);
                if (parse.GetValue(nostream)) return ExitCodes.Ok;

                await Task.WhenAll([.. sources.Select(s => FollowAsync(s, printer, stop)), EndWhenReaderLeavesAsync(stop)]);
            }
            catch (OperationCanceledException)
            {
            }
            catch (IOException) when (printer.ReaderLeft)
            {
                // `sup logs | head -3`: the reader has what it wanted, as `tail -f | head` would.
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>
    /// Standard output that reports a reader gone away. The runtime's console stream drops
    /// writes that fail with EPIPE (and SIGPIPE is ignored in .NET), so `sup logs | head -3`
    /// would otherwise follow forever into a closed pipe.
    /// </summary>
    private static TextWriter StandardOutput()
    {
        if (OperatingSystem.IsWindows()) return Console.Out;
        var stream = new FileStream(new Microsoft.Win32.SafeHandles.SafeFileHandle(1, ownsHandle: false), FileAccess.Write, bufferSize: 0);
        if (stream.CanSeek)
        {
            // A file (`> out.txt`): FileStream would write at its own offset and leave the shared
            // one behind, so whatever the shell writes next would overwrite our lines. A file has
            // no reader to lose; the console stream writes it correctly.
            stream.Dispose();
            return Console.Out;
        }
        return new StreamWriter(stream, new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false)) { AutoFlush = true };
    }

    private sealed record Source(string App, string Stream, string Path);

    private static List<Source> Sources(LogPathsInfo[] apps, bool errOnly, bool outOnly)
    {
        var list = new List<Source>();
        foreach (var app in apps)
        {
            if (!errOnly) list.Add(new Source(app.Name, "out", app.Out));
            if (!outOnly && app.Err != app.Out) list.Add(new Source(app.Name, "err", app.Err));
        }
        return list;
    }

    /// <summary>Stops following once a reader at the other end of a pipe has gone, even while no line arrives.</summary>
    private static async Task EndWhenReaderLeavesAsync(CancellationTokenSource stop)
    {
        if (OperatingSystem.IsWindows()) return;
        using var timer = new PeriodicTimer(LogFollower.PollInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(stop.Token))
            {
                if (OutputReader.HasLeft())
                {
                    await stop.CancelAsync();
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static async Task FollowAsync(Source source, LinePrinter printer, CancellationTokenSource stop)
    {
        var start = File.Exists(source.Path) ? new FileInfo(source.Path).Length : 0;
        var follower = new LogFollower(source.Path, TimeProvider.System);
        try
        {
            await foreach (var line in follower.FollowAsync(start, stop.Token))
                printer.Print(source, line);
        }
        catch (IOException) when (printer.ReaderLeft)
        {
            await stop.CancelAsync(); // the other files' followers end too
            throw;
        }
    }

    private sealed class LinePrinter(TextWriter output, bool json, bool timestamps)
    {
        // Lines as they were written: "héllo <b> +1", not "h\u00E9llo \u003Cb\u003E \u002B1"
        // (still valid JSON; nothing here is embedded in HTML).
        private static readonly JsonSerializerOptions JsonLines = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

        private readonly Lock _gate = new();

        /// <summary>Whether a write failed: nobody reads standard output any more.</summary>
        public bool ReaderLeft { get; private set; }

        public void Print(Source source, string line)
        {
            var now = DateTimeOffset.Now;
            string text;
            if (json)
            {
                text = new JsonObject
                {
                    ["app"] = source.App,
                    ["stream"] = source.Stream,
                    ["time"] = now.ToString("O"),
                    ["line"] = line,
                }.ToJsonString(JsonLines);
            }
            else
            {
                var head = $"{source.App} {source.Stream}| ";
                if (timestamps) head = now.ToString("yyyy-MM-dd HH:mm:ss.fff ") + head;
                text = source.Stream == "err" ? head + Terminal.Red(line) : head + line;
            }
            lock (_gate)
            {
                try
                {
                    output.WriteLine(text);
                }
                catch (IOException)
                {
                    ReaderLeft = true;
                    throw;
                }
                catch (UnauthorizedAccessException ex)
                {
                    // `sup logs >&-`: the runtime reports a closed (or reused, read-only)
                    // descriptor 1 this way.
                    throw new SupException(SupError.Io, Terminal.CannotWriteOutput(ex));
                }
            }
        }
    }
}
