using System.CommandLine;
using System.Threading.Channels;
using Supervisor.Core.Daemon;
using Supervisor.Core.Protocol;

namespace Supervisor.Cli.Commands;

/// <summary>`sup events [--json] [NAME]`: the daemon's event stream, followed live until Ctrl+C (`events.subscribe`).</summary>
public static class EventsCommand
{
    public static Command Create()
    {
        var name = new Argument<string?>("name") { Description = "Only this app's events (default: all, the daemon's too).", Arity = ArgumentArity.ZeroOrOne };
        var json = new Option<bool>("--json") { Description = "One JSON object per line (fields in docs/rpc.md, events.event)." };
        var recent = new Option<int>("--recent") { Description = "Show this many past events first (0-200).", DefaultValueFactory = _ => 0 };
        var command = new Command("events", "Follow what happens live: starts, exits, crashes, restarts, errors, job runs. Ctrl+C ends it.") { name, json, recent };
        command.SetAction(async (parse, ct) =>
        {
            var events = Channel.CreateUnbounded<EventInfo>();
            await using var connection = await DaemonLauncher.ConnectOrStartAsync(SupPaths.FromEnvironment(), ct, new Listener(events.Writer));
            var subscription = connection.CallAsync(d => d.EventsSubscribeAsync(parse.GetValue(name), Math.Clamp(parse.GetValue(recent), 0, 200), ct));
            _ = subscription.ContinueWith(_ => events.Writer.TryComplete(), TaskScheduler.Default);
            await foreach (var e in events.Reader.ReadAllAsync(ct))
            {
                Console.Out.WriteLine(parse.GetValue(json)
                    ? System.Text.Json.JsonSerializer.Serialize(e, Json.Contract.EventInfo)
                    : Render(e));
                Console.Out.Flush();
            }
            await subscription; // the daemon went away: its error is the message
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>"2026-12-04 00:55:01  web  crashed  exit code 1 after 2s".</summary>
    public static string Render(EventInfo e)
    {
        var at = DateTimeOffset.TryParse(e.At, System.Globalization.CultureInfo.InvariantCulture, out var t)
            ? t.ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture) : e.At;
        return $"{at}  {e.App ?? "(daemon)"}  {e.Kind}  {e.Reason}";
    }

    private sealed class Listener(ChannelWriter<EventInfo> events) : ISupDaemonClient
    {
        public void MonitUpdate(MonitUpdate update) { }
        public void Event(EventInfo e) => events.TryWrite(e);
    }
}
