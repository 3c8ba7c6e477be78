using Microsoft.Extensions.Logging;
using Supervisor.Core.Protocol;
using Supervisor.Core.Supervision;

namespace Supervisor.Core.Scheduling;

public sealed partial class JobSupervisor
{
    private const int HistoryLimit = 100;

    private sealed class ActiveRun(string trigger, string? file)
    {
        public string Trigger { get; } = trigger;
        public string? File { get; } = file;
        public CancellationTokenSource Cancel { get; } = new();
        public Task Task { get; set; } = Task.CompletedTask;
    }

    /// <summary>Starts a run (inside a command). Time and manual triggers never overlap; file runs honour concurrency.</summary>
    private bool TryBeginRun(string trigger, string? file)
    {
        var limit = file is null ? 1 : Math.Max(1, _spec.Job!.Concurrency);
        if (file is null && _active.Exists(r => r.File is null)) return false;
        if (_active.Count >= limit && file is not null) return false;

        var run = new ActiveRun(trigger, file);
        _active.Add(run);
        var started = _context.Time.GetUtcNow();
        Transition(AppStatus.Running, file is null ? $"{trigger} run" : $"file {Path.GetFileName(file)}",
            v => v with { LastRunAt = started, LastResult = "running" });
        run.Task = ExecuteAsync(run);
        return true;
    }

    private async Task ExecuteAsync(ActiveRun run)
    {
        JobAttemptResult result;
        var runner = new JobRunner(_spec, Logs, _context, _log) { OnChild = pid => _view = _view with { Pid = pid == 0 ? null : pid } };
        try
        {
            result = await runner.RunAsync(run.Trigger, run.File, Record, run.Cancel.Token);
        }
        catch (OperationCanceledException)
        {
            result = new JobAttemptResult(false, null, "stopped");
        }
        catch (Exception ex)
        {
            _log.LogError(ex, "{Job}: run failed to start", Name);
            result = new JobAttemptResult(false, null, "could not start: " + ex.Message);
        }

        if (result.Succeeded && run.File is not null && _spec.Job!.OnFile?.MoveTo is { } moveTo)
            MoveDone(run.File, moveTo);

        // Posted, not awaited: a stop command waits for this run's task while holding the queue.
        _ = _commands.RunAsync(() =>
        {
            _active.Remove(run);
            if (run.File is not null) _fileSlots?.Release();
            run.Cancel.Dispose();
            _store.Update(s =>
            {
                var state = State(s);
                state.RunCount++;
                if (!result.Succeeded) state.FailureCount++;
                state.LastError = result.Succeeded ? null : result.Summary;
            });
            var summary = result.Succeeded ? "ok" : result.Summary;
            if (result.Succeeded) _log.LogInformation("{Job}: run ({Trigger}) ok", Name, run.Trigger);
            else _log.LogWarning("{Job}: run ({Trigger}) {Summary}", Name, run.Trigger, summary);
            if (_view.Status is AppStatus.Running && _active.Count == 0)
                Transition(_armed is null ? AppStatus.Stopped : Enabled ? AppStatus.Scheduled : AppStatus.Disabled,
                    $"run ended: {summary}", v => v with { LastResult = summary, Pid = null });
            else _view = _view with { LastResult = summary };
            return Task.CompletedTask;
        });
    }

    private void Record(JobRunInfo info) => _store.Update(s =>
    {
        var history = State(s).History;
        history.Add(info);
        if (history.Count > HistoryLimit) history.RemoveRange(0, history.Count - HistoryLimit);
    });

    private void MoveDone(string file, string folder)
    {
        try
        {
            Directory.CreateDirectory(folder);
            var target = Path.Combine(folder, Path.GetFileName(file));
            if (File.Exists(target))
                target = Path.Combine(folder, $"{Path.GetFileNameWithoutExtension(file)}-{_context.Time.GetUtcNow():yyyyMMddHHmmssfff}{Path.GetExtension(file)}");
            File.Move(file, target);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            _log.LogError("{Job}: could not move {File} to {Folder}: {Message}", Name, file, folder, ex.Message);
        }
    }

    private async Task CancelRunsAsync(string reason)
    {
        var runs = _active.ToArray();
        foreach (var run in runs) await run.Cancel.CancelAsync();
        // The runs finish by posting to this queue; wait on their tasks only, not on the queue.
        await Task.WhenAll(runs.Select(r => r.Task));
        if (runs.Length > 0) _log.LogInformation("{Job}: {Count} run(s) stopped: {Reason}", Name, runs.Length, reason);
    }

    public IReadOnlyList<JobRunInfo> History(int limit) =>
        _store.Read(s => s.Jobs.TryGetValue(Name, out var j) ? j.History.TakeLast(limit).ToList() : []);

    public (int Runs, int Failures, int Skipped, string? LastError) Counters() =>
        _store.Read(s => s.Jobs.TryGetValue(Name, out var j) ? (j.RunCount, j.FailureCount, j.SkippedCount, j.LastError) : (0, 0, 0, null));
}
