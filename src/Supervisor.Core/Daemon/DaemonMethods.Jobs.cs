using System.Globalization;
using System.Text.Json.Nodes;
using Supervisor.Core.Config;
using Supervisor.Core.Protocol;
using Supervisor.Core.Rpc;
using Supervisor.Core.Scheduling;
using Supervisor.Core.Supervision;

namespace Supervisor.Core.Daemon;

public sealed partial class DaemonMethods
{
    private void RegisterJobs(RpcDispatcher rpc)
    {
        rpc.Register("jobs", (_, _) => Result(Serialize(registry.All.OfType<JobSupervisor>().Select(JobRowOf).ToArray(),
            ProtocolJson.Default.JobRowArray)));
        rpc.Register("run", async (c, ct) =>
        {
            var job = Job(c.Params.GetRequiredString(0, "name"));
            await job.RunNowAsync(ct);
            return Serialize([JobRowOf(job)], ProtocolJson.Default.JobRowArray);
        });
        rpc.Register("enable", (c, ct) => SetEnabledAsync(c, true, ct));
        rpc.Register("disable", (c, ct) => SetEnabledAsync(c, false, ct));
        rpc.Register("history", (c, _) =>
        {
            var name = c.Params.GetString(0, "name");
            var limit = Math.Clamp(c.Params.GetInt32(1, "limit") ?? 20, 1, 1000);
            var jobs = name is null ? registry.All.OfType<JobSupervisor>() : [Job(name)];
            var runs = jobs.SelectMany(j => j.History(limit))
                .OrderBy(r => r.Start, StringComparer.Ordinal)
                .TakeLast(limit)
                .ToArray();
            return Result(Serialize(runs, ProtocolJson.Default.JobRunInfoArray));
        });
    }

    private async ValueTask<JsonNode?> SetEnabledAsync(RpcRequestContext c, bool enabled, CancellationToken ct)
    {
        var name = c.Params.GetRequiredString(0, "name");
        var jobs = name == "all" ? registry.All.OfType<JobSupervisor>().ToList() : [Job(name)];
        foreach (var job in jobs) await job.SetEnabledAsync(enabled, ct);
        return Serialize(jobs.Select(JobRowOf).ToArray(), ProtocolJson.Default.JobRowArray);
    }

    private JobSupervisor Job(string name) =>
        registry.Find(name) switch
        {
            JobSupervisor job => job,
            null => throw SupException.NoSuchApp(name),
            _ => throw new SupException(SupError.NotAJob,
                $"'{name}' is a service, not a job. `sup jobs` lists jobs; `sup restart {name}` restarts a service."),
        };

    private JobRow JobRowOf(JobSupervisor job)
    {
        var snapshot = job.Snapshot();
        var counters = job.Counters();
        var running = snapshot.Status == AppStatus.Running;
        // While a run is going, "last run" is that run (its start, no duration yet).
        var last = running ? null : job.History(1).LastOrDefault();
        return new JobRow
        {
            Name = job.Name,
            Schedule = ScheduleText(job.Spec),
            Status = snapshot.Status.ToWire(),
            Enabled = snapshot.Enabled ?? true,
            LastRun = snapshot.LastRunAt?.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture),
            LastResult = snapshot.LastResult,
            LastDurationMs = last?.DurationMs,
            NextRun = snapshot.NextRun?.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture),
            RunCount = counters.Runs,
            FailureCount = counters.Failures,
            SkippedCount = counters.Skipped,
            LastError = counters.LastError,
        };
    }

    private static string ScheduleText(AppSpec spec)
    {
        var job = spec.Job!;
        var text = job.Cron is not null ? $"cron {job.Cron}"
            : job.Every is { } every ? $"every {Duration.Format(every)}"
            : job.OnFile is { } f ? $"on_file {Path.Combine(f.Path, f.Pattern)}"
            : "manual";
        if (job.Jitter > TimeSpan.Zero) text += $" ± {Duration.Format(job.Jitter)}";
        if (job.Timezone is not null) text += $" ({job.Timezone})";
        if (job.ActiveHours is not null) text += $" within {job.ActiveHours}";
        return text;
    }
}
