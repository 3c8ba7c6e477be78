using Supervisor.Core.Events;

namespace Supervisor.Core.Notifications;

/// <summary>
/// What a target is told: one event, or (<see cref="Suppressed"/> &gt; 0) the summary of the
/// events of that kind the rate limit held back, <see cref="Event"/> being the last of them.
/// </summary>
public sealed record Notification(SupEvent Event, int Suppressed, string LogTail)
{
    public string Text => Suppressed == 0
        ? Event.Text
        : $"{Event.App} {Event.Kind.ToWire()} {Suppressed} more time{(Suppressed == 1 ? "" : "s")} in the last minute; last: {Event.Reason}";
}
