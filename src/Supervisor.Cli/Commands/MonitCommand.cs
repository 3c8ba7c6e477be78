using System.CommandLine;
using System.Runtime.InteropServices;
using System.Threading.Channels;
using Supervisor.Cli.Output;
using Supervisor.Core;
using Supervisor.Core.Daemon;
using Supervisor.Core.Logs;
using Supervisor.Core.Protocol;
using Supervisor.Core.Rpc;

namespace Supervisor.Cli.Commands;

/// <summary>
/// `sup monit`: a live dashboard. The daemon pushes the app list every second (`monit.subscribe`);
/// the CLI only redraws, on each update, key press and terminal resize. Log tails are read from
/// the files, as `sup logs` does. The terminal is restored on `q`, Ctrl+C and errors alike.
/// </summary>
public static class MonitCommand
{
    private const string EnterScreen = "\e[?1049h\e[?25l\e[2J";
    private const string LeaveScreen = "\e[?25h\e[?1049l";
    private const int LogLines = 200;

    private abstract record Event;
    private sealed record Update(MonitUpdate Value) : Event;
    private sealed record Key(ConsoleKeyInfo Value) : Event;
    private sealed record Redraw : Event;
    private sealed record Ended(Exception? Error) : Event;

    public static Command Create()
    {
        var command = new Command("monit", "Live dashboard: cpu and memory per app, details and log tail of the selected app. ↑/↓ select, q quits.");
        command.SetAction(async (_, ct) =>
        {
            if (Console.IsOutputRedirected || Console.IsInputRedirected)
                throw new SupException(SupError.BadArgument, "sup monit needs a terminal; `sup ls` prints the same figures as a table.");
            var events = Channel.CreateUnbounded<Event>();
            await using var connection = await DaemonLauncher.ConnectOrStartAsync(SupPaths.FromEnvironment(), ct, new Listener(events.Writer));
            return await RunAsync(connection, events, ct);
        });
        return command;
    }

    /// <summary>Receives the daemon's `monit.update` notifications.</summary>
    private sealed class Listener(ChannelWriter<Event> events) : ISupDaemonClient
    {
        public void MonitUpdate(MonitUpdate update) => events.TryWrite(new Update(update));
        public void Event(EventInfo e) { } // monit does not subscribe to events
    }

    private static async Task<int> RunAsync(DaemonConnection connection, Channel<Event> events, CancellationToken cancellationToken)
    {

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var subscription = SubscribeAsync(connection, events.Writer, stop.Token);
        using var resized = OperatingSystem.IsWindows() ? null
            : PosixSignalRegistration.Create(PosixSignal.SIGWINCH, ctx => { ctx.Cancel = true; events.Writer.TryWrite(new Redraw()); });
        StartKeyReader(events.Writer);

        var model = new MonitModel();
        var logPaths = new Dictionary<string, LogPathsInfo>(StringComparer.Ordinal);
        Console.Out.Write(EnterScreen);
        try
        {
            await foreach (var e in events.Reader.ReadAllAsync(stop.Token))
            {
                switch (e)
                {
                    case Ended ended:
                        throw ended.Error ?? new SupException(SupError.DaemonNotRunning, "The sup daemon stopped; monit has nothing to show.");
                    case Key { Value: var key } when key.Key is ConsoleKey.Q or ConsoleKey.Escape
                        || key.Key == ConsoleKey.C && key.Modifiers.HasFlag(ConsoleModifiers.Control):
                        return ExitCodes.Ok;
                    case Key { Value.Key: ConsoleKey.UpArrow or ConsoleKey.K }:
                        model.Move(-1);
                        break;
                    case Key { Value.Key: ConsoleKey.DownArrow or ConsoleKey.J }:
                        model.Move(+1);
                        break;
                    case Key { Value.Key: ConsoleKey.Home }:
                        model.Move(-model.Apps.Count);
                        break;
                    case Key { Value.Key: ConsoleKey.End }:
                        model.Move(model.Apps.Count);
                        break;
                    case Update update:
                        model.Apply(update.Value);
                        if (model.Apps.Any(a => !logPaths.ContainsKey(a.Name)))
                            await RefreshLogPathsAsync(connection, logPaths, stop.Token);
                        break;
                }
                if (events.Reader.Count == 0) Draw(model, ReadLogs(model.SelectedName, logPaths));
            }
            return ExitCodes.Ok;
        }
        finally
        {
            Console.Out.Write(LeaveScreen);
            Console.Out.Flush();
            await stop.CancelAsync();
            await subscription;
        }
    }

    /// <summary>Runs until monit quits; the daemon streams on this connection meanwhile.</summary>
    private static async Task SubscribeAsync(DaemonConnection connection, ChannelWriter<Event> events, CancellationToken ct)
    {
        try
        {
            await connection.CallAsync(d => d.MonitSubscribeAsync(ct));
            events.TryWrite(new Ended(null));
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            events.TryWrite(new Ended(ex));
        }
    }

    /// <summary>
    /// Console.ReadKey blocks, so it gets a thread of its own (a background one: it must not keep
    /// the process alive after monit returns).
    /// </summary>
    private static void StartKeyReader(ChannelWriter<Event> events)
    {
        var reader = new Thread(() =>
        {
            try
            {
                while (true) events.TryWrite(new Key(Console.ReadKey(intercept: true)));
            }
            catch (InvalidOperationException)
            {
                // No console input after all: q cannot be pressed, Ctrl+C still ends monit.
            }
        })
        { IsBackground = true, Name = "monit keys" };
        reader.Start();
    }

    private static async Task RefreshLogPathsAsync(DaemonConnection connection, Dictionary<string, LogPathsInfo> paths, CancellationToken ct)
    {
        var reply = await connection.CallAsync(d => d.LogPathsAsync(null, ct));
        foreach (var info in reply) paths[info.Name] = info;
    }

    private static MonitLogs ReadLogs(string? name, Dictionary<string, LogPathsInfo> paths)
    {
        if (name is null || !paths.TryGetValue(name, out var info)) return MonitLogs.Empty;
        var err = info.Err == info.Out ? [] : LogTail.ReadLastLines(info.Err, LogLines);
        return new MonitLogs(LogTail.ReadLastLines(info.Out, LogLines), err);
    }

    private static void Draw(MonitModel model, MonitLogs logs)
    {
        int width, height;
        try
        {
            (width, height) = (Console.WindowWidth, Console.WindowHeight);
        }
        catch (IOException)
        {
            (width, height) = (120, 40);
        }
        var frame = MonitView.Render(model, logs, width, height, DateTimeOffset.Now);
        // Home, then the whole frame in one write: every line is drawn full width, so nothing old shows through.
        Console.Out.Write("\e[H" + frame);
        Console.Out.Flush();
    }
}
