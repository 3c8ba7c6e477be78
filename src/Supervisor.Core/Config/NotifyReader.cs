using Supervisor.Core.Events;
using YamlDotNet.RepresentationModel;

namespace Supervisor.Core.Config;

/// <summary>
/// Reads `notify:` (per app, or at the top of the file): a list of targets, each one mapping
/// with exactly one of exec, webhook or desktop, and on/timeout/retries/format.
/// </summary>
internal static class NotifyReader
{
    public static List<NotifyTarget>? Read(string key, YamlNode node, NodeValues values)
    {
        var problems = values.Problems;
        if (node is not YamlSequenceNode list)
        {
            problems.Error(node, $"{key} must be a list of targets (- webhook: URL, - exec: \"CMD\", - desktop: true), not a {NodeValues.Describe(node)}.");
            return null;
        }

        var targets = new List<NotifyTarget>();
        var ok = true;
        foreach (var item in list)
        {
            var target = ReadTarget(key, item, values);
            if (target is null) ok = false;
            else targets.Add(target);
        }

        return ok ? targets : null;
    }

    private static NotifyTarget? ReadTarget(string key, YamlNode node, NodeValues values)
    {
        var problems = values.Problems;
        if (values.Mapping($"each item of {key}", node) is not { } mapping) return null;
        var entries = MappingEntries.Read(mapping, problems);
        MappingEntries.RejectUnknown(entries.Values, EcosystemKeys.Notify, $"in a {key} target", problems);

        var kinds = EcosystemKeys.NotifyTargets.Where(entries.ContainsKey).ToList();
        if (kinds.Count != 1)
        {
            problems.Error(node, kinds.Count == 0
                ? $"A {key} target needs one of exec: \"CMD\", webhook: URL or desktop: true."
                : $"A {key} target has one destination; split {string.Join(" and ", kinds)} into two targets.");
            return null;
        }

        var errors = problems.ErrorCount;
        var on = entries.TryGetValue("on", out var onEntry) ? ReadOn($"{key}.on", onEntry.Value, values) : [.. NotifyDefaults.On];
        var timeout = entries.TryGetValue("timeout", out var t) ? values.Duration($"{key}.timeout", t.Value, positive: true) : NotifyDefaults.Timeout;
        var retries = entries.TryGetValue("retries", out var r) ? values.Int($"{key}.retries", r.Value, min: 0, max: NotifyDefaults.MaxRetries) : NotifyDefaults.Retries;
        var format = WebhookFormat.Json;
        if (entries.TryGetValue("format", out var f))
        {
            var text = values.String($"{key}.format", f.Value)?.Trim();
            if (text is "slack") format = WebhookFormat.Slack;
            else if (text is not null and not "json") problems.Error(f.Value, $"{key}.format: '{text}' is not a webhook format; use json (the event) or slack ({{\"text\": ...}}).");
        }

        NotifyTarget? target = null;
        var entry = entries[kinds[0]];
        switch (kinds[0])
        {
            case "exec":
                if (values.String($"{key}.exec", entry.Value) is { } command)
                    target = new NotifyTarget { Kind = NotifyKind.Exec, Exec = command, On = on ?? [] };
                break;
            case "webhook":
                if (values.String($"{key}.webhook", entry.Value) is { } url)
                {
                    if (Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
                        target = new NotifyTarget { Kind = NotifyKind.Webhook, Webhook = uri, On = on ?? [] };
                    else
                        problems.Error(entry.Value, $"{key}.webhook: '{url}' is not an http:// or https:// URL.");
                }
                break;
            default:
                if (values.Bool($"{key}.desktop", entry.Value) is bool desktop)
                {
                    if (desktop) target = new NotifyTarget { Kind = NotifyKind.Desktop, On = on ?? [] };
                    else problems.Error(entry.Value, $"{key}.desktop: false sends nothing; remove the target instead.");
                }
                break;
        }

        if (kinds[0] != "webhook")
        {
            foreach (var only in new[] { "retries", "format" }.Where(entries.ContainsKey))
                problems.Error(entries[only].KeyNode, $"{key}.{only} applies only to webhook targets.");
        }

        if (problems.ErrorCount != errors || target is null || on is null || timeout is null || retries is null) return null;
        return target with { Timeout = timeout.Value, Retries = retries.Value, Format = format };
    }

    private static List<EventKind>? ReadOn(string key, YamlNode node, NodeValues values)
    {
        var kinds = new List<EventKind>();
        var ok = true;
        foreach (var item in NodeValues.Items(node))
        {
            var text = values.String(key, item);
            if (text is null)
            {
                ok = false;
            }
            else if (EventKinds.TryParse(text, out var kind))
            {
                if (!kinds.Contains(kind)) kinds.Add(kind);
            }
            else
            {
                var suggestion = KeySuggester.Suggest(text.Trim(), EventKinds.All.Select(k => k.ToWire()));
                values.Problems.Error(item, $"{key}: '{text}' is not an event sup raises"
                    + (suggestion is null ? $" ({EventKinds.WireNames})." : $"; did you mean '{suggestion}'?"));
                ok = false;
            }
        }

        return ok ? kinds : null;
    }
}
