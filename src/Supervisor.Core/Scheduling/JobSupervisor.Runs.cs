using Microsoft.Extensions.Logging;
using Supervisor.Core.Platform;
using Supervisor.Core.Protocol;
using Supervisor.Core.Supervision;

namespace Supervisor.Core.Scheduling;

/// <summary>
/// Runs: started inside a command, executed by a <see cref="JobRunner"/> off the queue, and
/// completed back on the queue (counters, status). A stop completes the runs it cancelled
/// itself, so when `sup stop` returns the history and status already say so.
/// </summary>
public sealed partial class JobSupervisor
{
    private const int HistoryLimit = 100;

    private sealed class ActiveRun(RunContext context, string? file, DateTimeOffset startedAt, SemaphoreSlim? slot)
    {
        public RunContext Context { get; } = context;
        public string Trigger => Context.Trigger;
        public string? File { get; } = file;
        public DateTimeOffset StartedAt { get; } = startedAt;
        /// <summary>The concurrency slot a file run holds; released when the run ends.</summary>
        public SemaphoreSlim? Slot { get; } = slot;
        public CancellationTokenSource Cancel { get; } = new();
        public Task Task { get; set; } = Task.CompletedTask;
        public volatile int Pid;
        public JobAttemptResult? Result { get; set; }
        public bool Completed { get; set; }
    }

    /// <summary>Created at the first run, from the last id in the history (inside a command).</summary>
    private RunIds? _runIds;

    // Replaced, never mutated, so the sampler and RootPid can read it from any thread.
    private volatile ActiveRun[] _active = [];
    private readonly Lock _pidGate = new();
    private int? _recordedPid;

    /// <summary>The pid of the step running now (the latest, when file runs overlap).</summary>
    public int? RootPid => Array.FindLast(_active, r => r.Pid != 0)?.Pid;

    /// <summary>
    /// Starts a run (inside a command). Time-triggered and manual runs never overlap each other;
    /// file runs are limited by their slots (concurrency) instead.
    /// </summary>
    /// <param name="scheduledAt">The due time the run is for; null: now (manual and file runs).</param>
    private bool TryBeginRun(string trigger, string? file, SemaphoreSlim? slot = null, DateTimeOffset? scheduledAt = null)
    {
        if (file is null && Array.Exists(_active, r => r.File is null)) return false;

        var now = _context.Time.GetUtcNow();
        var zone = _context.Time.LocalTimeZone;
        _runIds ??= new RunIds(Name, _store.Read(s => s.Jobs.TryGetValue(Name, out var j) ? j.History.LastOrDefault(h => h.RunId is not null)?.RunId : null));
        var runContext = new RunContext(_runIds.Next(TimeZoneInfo.ConvertTime(now, zone)), trigger,
            TimeZoneInfo.ConvertTime(scheduledAt ?? now, zone), Attempt: 1);
        var run = new ActiveRun(runContext, file, now, slot);
        _active = [.. _active, run];
        Handle(JobEvent.RunStarted, file is null ? $"{trigger} run" : $"file {Path.GetFileName(file)}",
            v => v with { RunStartedAt = run.StartedAt });
        Raise(Events.EventKind.Started, file is null ? $"{trigger} run" : $"{trigger} run for {Path.GetFileName(file)}", runId: runContext.RunId);
        run.Task = ExecuteAsync(run);
        return true;
    }

    /// <summary>
    /// Keeper hook (Daemon/OrphanSweeper): a run whose step outlived the daemon that started it
    /// goes on under this one, as the same run (id, trigger and attempt from the step's
    /// environment): the step is waited for, not started again, its output pumped from the pipes
    /// the keeper held; the steps after it and any retries left follow, and the history records
    /// it once. With <paramref name="arm"/> the schedule is armed as a start would (a time
    /// trigger waits for the adopted run; on_file does not offer its file again).
    /// </summary>
    /// <param name="variables">The step's SUP_* environment (SUP_RUN_ID, SUP_STEP, SUP_FILE ...); a run without them gets a new id.</param>
    public Task AdoptAsync(ChildProcess child, IReadOnlyDictionary<string, string> variables, bool arm, string reason, CancellationToken cancellationToken) =>
        _commands.RunAsync(() =>
        {
            var zone = _context.Time.LocalTimeZone;
            _runIds ??= new RunIds(Name, _store.Read(s => s.Jobs.TryGetValue(Name, out var j) ? j.History.LastOrDefault(h => h.RunId is not null)?.RunId : null));
            var context = RunContext.FromVariables(variables)
                ?? new RunContext(_runIds.Next(TimeZoneInfo.ConvertTime(child.StartedAt, zone)), "adopted", TimeZoneInfo.ConvertTime(child.StartedAt, zone), Attempt: 1);
            var step = variables.TryGetValue(RunContext.StepVariable, out var stepText)
                && int.TryParse(stepText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : (int?)null;
            var file = variables.GetValueOrDefault("SUP_FILE") is { Length: > 0 } f ? f : null;
            var run = new ActiveRun(context, file, child.StartedAt, slot: null);
            _active = [.. _active, run];
            _log.LogInformation("{Job}: adopted run {RunId} (attempt {Attempt}{Step}) from the previous daemon: pid {Pid}",
                Name, context.RunId, context.Attempt, step is int k ? $", step {k}" : "", child.Pid);
            Handle(JobEvent.RunStarted, $"{reason}: run {context.RunId}", v => v with { RunStartedAt = run.StartedAt });
            run.Task = ExecuteAsync(run, new AdoptedStep(child, step));
            if (arm)
            {
                _started = true;
                Arm(reason);
            }
            return Task.CompletedTask;
        }).WaitAsync(cancellationToken);

    private async Task ExecuteAsync(ActiveRun run, AdoptedStep? adopted = null)
    {
        JobAttemptResult result;
        var runner = new JobRunner(_spec, Logs, _context, _log) { OnChild = pid => OnChild(run, pid) };
        try
        {
            result = await runner.RunAsync(run.Context, run.File, Record, run.Cancel.Token, adopted);
        }
        catch (OperationCanceledException)
        {
            // Stopped while waiting for a retry: no attempt was running.
            result = JobAttemptResult.StoppedWith(null);
        }
        catch (Exception ex)
        {
            _log.LogError(ex, "{Job}: run failed", Name);
            result = new JobAttemptResult(false, null, "could not run: " + ex.Message);
        }

        // Only a success moves the file: a failed one stays where it is, for a look or a retry.
        if (result.Succeeded && run.File is not null && _spec.Job!.OnFile?.MoveTo is { } moveTo)
            MoveDone(run.File, moveTo);

        run.Result = result;
        // Posted, not awaited: a stop command holding the queue waits for this task.
        _ = _commands.RunAsync(() =>
        {
            Complete(run);
            return Task.CompletedTask;
        });
        // After the post, so the next file's start is queued behind this run's completion.
        run.Slot?.Release();
    }

    /// <summary>Books a finished run (inside a command); a run is completed once.</summary>
    private void Complete(ActiveRun run, string? why = null)
    {
        if (run.Completed || run.Result is not { } result) return;
        run.Completed = true;
        _active = Array.FindAll(_active, r => r != run);
        run.Cancel.Dispose();

        var failedBefore = _store.Read(s => s.Jobs.TryGetValue(Name, out var j) && j.LastError is not null);
        _store.Update(s =>
        {
            var state = State(s);
            state.RunCount++;
            if (result.Succeeded) state.LastError = state.LastErrorOutput = null;
            else if (!result.Stopped)
            {
                state.FailureCount++;
                state.LastError = result.Summary;
                state.LastErrorOutput = result.ErrorLine;
            }
        });

        var what = run.File is null ? run.Trigger : $"{run.Trigger} {Path.GetFileName(run.File)}";
        _log.Log(result.Succeeded || result.Stopped ? LogLevel.Information : LogLevel.Warning,
            "{Job}: run ({What}) {Summary}", Name, what, result.Summary);
        Handle(JobEvent.RunEnded, why ?? $"run ended: {result.Summary}",
            v => v with { LastResult = result.Summary });
        RaiseEnd(result, failedBefore, run.Context.RunId);
    }

    private async Task CancelRunsAsync(string reason)
    {
        var runs = _active;
        if (runs.Length == 0) return;
        foreach (var run in runs) await run.Cancel.CancelAsync();
        await Task.WhenAll(runs.Select(r => r.Task));
        foreach (var run in runs) Complete(run, $"run stopped: {reason}");
    }

    private void Record(JobRunInfo info) => _store.Update(s =>
    {
        var history = State(s).History;
        history.Add(info);
        if (history.Count > HistoryLimit) history.RemoveRange(0, history.Count - HistoryLimit);
    });

    /// <summary>Keeps the PID file and the identity in state.json on the step running now, for the orphan sweep.</summary>
    private void OnChild(ActiveRun run, int pid)
    {
        run.Pid = pid;
        lock (_pidGate)
        {
            var current = RootPid;
            if (current == _recordedPid) return;
            _recordedPid = current;
            var pidFile = _context.PidFileFor(_spec);
            if (current is not null) _context.PidChanged?.Invoke(Name, current); // journal first, then the PID file
            try
            {
                if (current is int p)
                {
                    Directory.CreateDirectory(Path.GetDirectoryName(pidFile)!);
                    PidFile.Write(pidFile, p);
                }
                else PidFile.Delete(pidFile);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or SupException)
            {
                _log.LogWarning("{Job}: could not update PID file {Path}: {Message}", Name, pidFile, ex.Message);
            }
            if (current is null) _context.PidChanged?.Invoke(Name, current);
        }
    }

    private void MoveDone(string file, string folder)
    {
        if (!File.Exists(file)) return; // the job moved or deleted it itself
        try
        {
            Directory.CreateDirectory(folder);
            var target = Path.Combine(folder, Path.GetFileName(file));
            // Never overwrite an earlier file of the same name: keep both.
            if (File.Exists(target))
                target = Path.Combine(folder, $"{Path.GetFileNameWithoutExtension(file)}-{_context.Time.GetUtcNow():yyyyMMddHHmmssfff}{Path.GetExtension(file)}");
            File.Move(file, target);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            _log.LogError("{Job}: could not move {File} to {Folder}: {Message}", Name, file, folder, ex.Message);
        }
    }

    /// <summary>The last <paramref name="limit"/> recorded attempts, oldest first.</summary>
    public IReadOnlyList<JobRunInfo> History(int limit) =>
        _store.Read(s => s.Jobs.TryGetValue(Name, out var j) ? j.History.TakeLast(limit).ToList() : []);

    /// <summary>The first stderr line of the last failed run, while the last run failed.</summary>
    public string? LastErrorOutput() => _store.Read(s => s.Jobs.TryGetValue(Name, out var j) ? j.LastErrorOutput : null);

    public (int Runs, int Failures, int Skipped, string? LastError) Counters() =>
        _store.Read(s => s.Jobs.TryGetValue(Name, out var j) ? (j.RunCount, j.FailureCount, j.SkippedCount, j.LastError) : (0, 0, 0, null));
}
