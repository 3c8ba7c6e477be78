using System.Globalization;
using Supervisor.Core.Config;
using Supervisor.Core.Protocol;
using Supervisor.Core.Scheduling;
using Supervisor.Core.Supervision;

namespace Supervisor.Core.Daemon;

public sealed partial class DaemonMethods
{
    public Task<JobRow[]> JobsAsync(CancellationToken cancellationToken) =>
        Task.FromResult(registry.All.OfType<JobSupervisor>().Select(JobRowOf).ToArray());

    public async Task<JobRow[]> RunAsync(string name, CancellationToken cancellationToken)
    {
        var job = Job(Required(name, nameof(name), 0));
        await job.RunNowAsync(cancellationToken);
        return [JobRowOf(job)];
    }

    public Task<JobRow[]> EnableAsync(string name, CancellationToken cancellationToken) => SetEnabledAsync(name, true, cancellationToken);

    public Task<JobRow[]> DisableAsync(string name, CancellationToken cancellationToken) => SetEnabledAsync(name, false, cancellationToken);

    public Task<JobRunInfo[]> HistoryAsync(string? name, int limit, CancellationToken cancellationToken)
    {
        limit = Math.Clamp(limit, 1, 1000);
        var jobs = name is null ? registry.All.OfType<JobSupervisor>() : [Job(name)];
        return Task.FromResult(jobs.SelectMany(j => j.History(limit))
            .OrderBy(r => r.Start, StringComparer.Ordinal)
            .TakeLast(limit)
            .ToArray());
    }

    private async Task<JobRow[]> SetEnabledAsync(string name, bool enabled, CancellationToken ct)
    {
        var jobs = Required(name, nameof(name), 0) == "all" ? registry.All.OfType<JobSupervisor>().ToList() : [Job(name)];
        foreach (var job in jobs) await job.SetEnabledAsync(enabled, ct);
        return jobs.Select(JobRowOf).ToArray();
    }

    private JobSupervisor Job(string name) =>
        registry.FindByNameOrId(name) switch
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
            Paused = job.Paused,
            LastRun = snapshot.LastRunAt?.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture),
            LastResult = snapshot.LastResult,
            LastDurationMs = last?.DurationMs,
            NextRun = snapshot.NextRun?.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture),
            RunCount = counters.Runs,
            FailureCount = counters.Failures,
            SkippedCount = counters.Skipped,
            LastError = counters.LastError,
            LastErrorOutput = counters.LastError is null ? null : job.LastErrorOutput(),
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
