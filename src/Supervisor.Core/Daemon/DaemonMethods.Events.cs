using System.Globalization;
using Supervisor.Core.Events;
using Supervisor.Core.Protocol;
using Supervisor.Core.Scheduling;
using Supervisor.Core.Supervision;

namespace Supervisor.Core.Daemon;

public sealed partial class DaemonMethods
{
    /// <summary>When this daemon started serving; set by DaemonHost (for the health document's uptime).</summary>
    public DateTimeOffset StartedAt { get; init; }

    /// <summary>Statuses that make `sup health` fail. ("unhealthy" comes with health checks.)</summary>
    private static readonly HashSet<string> BadStatuses = ["errored", "unhealthy"];

    /// <summary>
    /// Pushes `events.event` notifications (an <see cref="EventInfo"/>) on the caller's connection:
    /// the last <paramref name="recent"/> events first, then each as it happens, until the client
    /// cancels (then -32800) or disconnects. A slow client loses its oldest events, never stalls an app.
    /// </summary>
    public async Task EventsSubscribeAsync(string? name, int recent, CancellationToken cancellationToken)
    {
        var connection = peer ?? throw new SupException(SupError.NotSupported, "events.subscribe needs a connection to stream on.");
        var bus = context.Events ?? throw new SupException(SupError.NotSupported, "This daemon has no event stream.");
        if (name is not null && name != "all") registry.Select(name); // an unknown name is the caller's error, now
        var wanted = name is null or "all" ? null : registry.Select(name).Select(a => a.Name).ToHashSet(StringComparer.Ordinal);
        using var subscription = bus.Subscribe(Math.Clamp(recent, 0, EventBus.RecentCapacity));
        await foreach (var e in subscription.Reader.ReadAllAsync(cancellationToken))
        {
            if (wanted is not null && (e.App is null || !wanted.Contains(e.App))) continue;
            // Named params, an EventInfo, as a dictionary with declared types (Native AOT, as monit.update).
            var info = ToInfo(e);
            await connection.NotifyWithParameterObjectAsync("events.event", new Dictionary<string, object?>
            {
                ["sequence"] = info.Sequence, ["at"] = info.At, ["kind"] = info.Kind, ["source"] = info.Source,
                ["app"] = info.App, ["reason"] = info.Reason, ["exit_code"] = info.ExitCode, ["signal"] = info.Signal,
                ["run_id"] = info.RunId,
            }, EventInfoTypes);
        }
    }

    private static readonly Dictionary<string, Type> EventInfoTypes = new()
    {
        ["sequence"] = typeof(long), ["at"] = typeof(string), ["kind"] = typeof(string), ["source"] = typeof(string),
        ["app"] = typeof(string), ["reason"] = typeof(string), ["exit_code"] = typeof(int?), ["signal"] = typeof(string),
        ["run_id"] = typeof(string),
    };

    internal static EventInfo ToInfo(SupEvent e) => new()
    {
        Sequence = e.Sequence,
        At = e.At.ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture),
        Kind = e.Kind.ToWire(),
        Source = e.Source.ToString().ToLowerInvariant(),
        App = e.App,
        Reason = e.Reason,
        ExitCode = e.ExitCode,
        Signal = e.Signal,
        RunId = e.RunId,
    };

    public Task<HealthReport> HealthAsync(CancellationToken cancellationToken)
    {
        var now = context.Time.GetUtcNow();
        var apps = registry.All.Select(a => (App: a, Snapshot: a.Snapshot())).ToList();
        var jobs = apps.Where(a => a.App is JobSupervisor).Select(a => (Job: (JobSupervisor)a.App, a.Snapshot)).ToList();
        var counts = apps.GroupBy(a => a.Snapshot.Status.ToWire()).OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var problems = apps.Select(a => BadStatuses.Contains(a.Snapshot.Status.ToWire())
                ? $"{a.App.Name}: {a.Snapshot.Status.ToWire()} ({a.Snapshot.Reason})"
                : a.Snapshot.Unhealthy is { } why ? $"{a.App.Name}: unhealthy, {a.Snapshot.Status.ToWire()} ({why})" : null)
            .OfType<string>().ToArray();

        var next = jobs.Where(j => j.Snapshot.NextRun is not null).OrderBy(j => j.Snapshot.NextRun).FirstOrDefault();
        var last = jobs.SelectMany(j => j.Job.History(1)).OrderBy(r => r.Start, StringComparer.Ordinal).LastOrDefault();
        var counters = jobs.Select(j => j.Job.Counters()).ToList();
        var runs = counters.Sum(c => c.Runs);
        var failures = counters.Sum(c => c.Failures);
        return Task.FromResult(new HealthReport
        {
            Healthy = problems.Length == 0,
            Counts = counts,
            Problems = problems,
            NextJob = next.Job is null ? null : new NextJobInfo(next.Job.Name,
                next.Snapshot.NextRun!.Value.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture),
                (long)Math.Max(0, (next.Snapshot.NextRun.Value - now).TotalSeconds)),
            LastExecution = last is null ? null : new LastExecutionInfo(last.Job, last.Start, last.Result, last.Result == "ok"),
            UptimeMs = (long)Math.Max(0, (now - StartedAt).TotalMilliseconds),
            Totals = new HealthTotals
            {
                Apps = apps.Count,
                Services = apps.Count - jobs.Count,
                Jobs = jobs.Count,
                Restarts = apps.Sum(a => a.Snapshot.Restarts),
                Runs = runs,
                Failures = failures,
                SuccessRate = runs == 0 ? null : Math.Round((runs - failures) / (double)runs, 4),
            },
        });
    }

    public async Task<string[]> ResetAsync(string name, CancellationToken cancellationToken)
    {
        var apps = Select(name);
        foreach (var app in apps) await app.ResetAsync(cancellationToken);
        return apps.Select(a => a.Name).ToArray();
    }
}
