using Supervisor.Core.Events;

namespace Supervisor.Core.Config;

/// <summary>Where a notification goes (one item of `notify:`).</summary>
public enum NotifyKind { Exec, Webhook, Desktop }

/// <summary>How a webhook's body is shaped: the whole event with a text, or Slack's <c>{"text": ...}</c> alone.</summary>
public enum WebhookFormat { Json, Slack }

/// <summary>
/// One notify target, validated: which events it wants and where they go. Defaults live in
/// <see cref="NotifyDefaults"/>. Equality is by <see cref="Describe"/>, so an unchanged list in a
/// reloaded file is unchanged.
/// </summary>
public sealed record NotifyTarget
{
    public required NotifyKind Kind { get; init; }
    /// <summary>The events this target is told about.</summary>
    public required IReadOnlyList<EventKind> On { get; init; }
    /// <summary>The command line for `exec:`, run with `sh -c`.</summary>
    public string? Exec { get; init; }
    public Uri? Webhook { get; init; }
    public WebhookFormat Format { get; init; } = WebhookFormat.Json;
    /// <summary>How long one delivery may take (a command's run, one POST).</summary>
    public TimeSpan Timeout { get; init; } = NotifyDefaults.Timeout;
    /// <summary>Webhook only: more attempts after a failed POST.</summary>
    public int Retries { get; init; } = NotifyDefaults.Retries;

    public bool Wants(EventKind kind) => On.Contains(kind);

    /// <summary>A canonical one-line form, for plans, `sup describe` and equality.</summary>
    public string Describe()
    {
        var where = Kind switch
        {
            NotifyKind.Exec => $"exec {Exec}",
            NotifyKind.Webhook => $"webhook {Webhook}{(Format == WebhookFormat.Slack ? " (slack)" : "")}",
            _ => "desktop",
        };
        return $"{where} on {string.Join(",", On.Select(k => k.ToWire()))} timeout {Duration.Format(Timeout)}"
            + (Kind == NotifyKind.Webhook ? $" retries {Retries}" : "");
    }

    public bool Equals(NotifyTarget? other) => other is not null && Describe() == other.Describe();

    public override int GetHashCode() => Describe().GetHashCode(StringComparison.Ordinal);
}

public static class NotifyDefaults
{
    /// <summary>What a target hears when it has no `on:`: the "it is not up" events.</summary>
    public static readonly IReadOnlyList<EventKind> On = [EventKind.Errored, EventKind.Failed, EventKind.Unhealthy];
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    public const int Retries = 3;
    public const int MaxRetries = 10;
}
