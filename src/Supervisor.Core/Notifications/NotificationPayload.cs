using System.Globalization;
using System.Text.Json.Serialization;

namespace Supervisor.Core.Notifications;

/// <summary>
/// The JSON a webhook receives (and an exec command reads on stdin), documented in
/// docs/notifications.md. <see cref="Text"/> makes it readable by chat webhooks as it is.
/// </summary>
public sealed record NotificationPayload
{
    public required string Text { get; init; }
    public required string Event { get; init; }
    public required string Source { get; init; }
    public string? App { get; init; }
    public required string At { get; init; }
    public required string Reason { get; init; }
    public int? ExitCode { get; init; }
    public string? Signal { get; init; }
    /// <summary>0 for an event; for a rate-limit summary, how many events of this kind were held back.</summary>
    public int Suppressed { get; init; }
    public required long Sequence { get; init; }
    public required string Host { get; init; }
    /// <summary>The last lines of the app's error log (its output log when merged); empty for the daemon.</summary>
    public required string LogTail { get; init; }

    public static NotificationPayload From(Notification n) => new()
    {
        Text = n.Text,
        Event = Events.EventKinds.ToWire(n.Event.Kind),
        Source = n.Event.Source.ToString().ToLowerInvariant(),
        App = n.Event.App,
        At = n.Event.At.ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture),
        Reason = n.Event.Reason,
        ExitCode = n.Event.ExitCode,
        Signal = n.Event.Signal,
        Suppressed = n.Suppressed,
        Sequence = n.Event.Sequence,
        Host = Environment.MachineName,
        LogTail = n.LogTail,
    };
}

/// <summary>Slack's (and Mattermost's, Rocket.Chat's) incoming-webhook form.</summary>
public sealed record SlackMessage(string Text);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = false)]
[JsonSerializable(typeof(NotificationPayload))]
[JsonSerializable(typeof(SlackMessage))]
internal sealed partial class NotificationJson : JsonSerializerContext;
