using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;
using Supervisor.Core.Platform;

namespace Supervisor.Core.Supervision;

public sealed partial class ServiceSupervisor
{
    /// <summary>One keep-alive run: from a start command until stopped, errored or left down.</summary>
    private sealed class Run
    {
        public CancellationTokenSource Cancel { get; } = new();
        public Task Task { get; set; } = Task.CompletedTask;
        public ChildProcess? Child { get; set; }
        public string StartReason { get; set; } = "";
        public string StopReason { get; set; } = "stopped";
    }

    private sealed record RunOutcome(ChildExit? Exit, RestartDecision Decision);

    private readonly ResiliencePipeline<RunOutcome> _pipeline;

    /// <summary>
    /// Polly applies the restart rule: every outcome the policy says to restart is retried
    /// after the delay the policy chose (on the injected clock); Stay and GiveUp end the run.
    /// </summary>
    private ResiliencePipeline<RunOutcome> BuildPipeline() =>
        new ResiliencePipelineBuilder<RunOutcome> { TimeProvider = _context.Time }
            .AddRetry(new RetryStrategyOptions<RunOutcome>
            {
                ShouldHandle = static args => ValueTask.FromResult(
                    args.Outcome.Result?.Decision.Action == RestartAction.Restart),
                MaxRetryAttempts = int.MaxValue,
                BackoffType = DelayBackoffType.Constant,
                UseJitter = false,
                DelayGenerator = static args => ValueTask.FromResult<TimeSpan?>(args.Outcome.Result!.Decision.Delay),
            })
            .Build();

    private void BeginRun(string reason, bool freshCount)
    {
        if (freshCount) _state = _state with { FastCrashes = 0 };
        var run = new Run { StartReason = reason };
        _run = run;
        run.Task = RunAsync(run);
    }

    /// <returns>True when a run was live (a child up or a backoff pending).</returns>
    private async Task<bool> EndRunAsync(string reason)
    {
        if (_run is not { } run) return false;
        _run = null;
        var live = !run.Task.IsCompleted;
        run.StopReason = reason;
        await run.Cancel.CancelAsync();
        await run.Task;
        run.Cancel.Dispose();
        return live;
    }

    private async Task RunAsync(Run run)
    {
        try
        {
            var outcome = await _pipeline.ExecuteAsync(
                (r, ct) => RunOnceAsync(r, ct), run, run.Cancel.Token);
            Transition(outcome.Decision.Action == RestartAction.GiveUp ? AppStatus.Errored : AppStatus.Stopped,
                outcome.Decision.Reason);
        }
        catch (OperationCanceledException) when (run.Cancel.IsCancellationRequested)
        {
            Transition(AppStatus.Stopped, run.StopReason, s => s with { Pid = null, WaitingUntil = null });
        }
        catch (Exception ex)
        {
            _log.LogError(ex, "{App}: supervision failed", _spec.Name);
            Transition(AppStatus.Errored, $"supervision failed: {ex.Message}", s => s with { Pid = null });
        }
    }

    private async ValueTask<RunOutcome> RunOnceAsync(Run run, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var spec = _spec;
        var signal = Signals.TryParse(spec.StopSignal, out var s) ? s : Signals.SIGTERM;
        Transition(AppStatus.Starting, _state.Status == AppStatus.Waiting ? "backoff over" : run.StartReason);

        ChildProcess child;
        try
        {
            child = ChildProcess.Start(ChildCommand.For(spec), _logs, _context.Control, _context.Time);
        }
        catch (SupException ex)
        {
            // A start that fails outright counts as a crash with no uptime, so a missing
            // interpreter ends in errored after the usual backoff instead of spinning.
            var failed = _policy.Decide(TimeSpan.Zero, 127, _state.FastCrashes);
            _state = _state with { FastCrashes = failed.FastCrashes };
            return After(new RunOutcome(null, failed with { Reason = ex.Message + " " + failed.Reason }));
        }

        run.Child = child;
        var pidFile = _context.PidFileFor(spec);
        TryWritePidFile(pidFile, child.Pid);
        _context.PidChanged?.Invoke(spec.Name, child.Pid);
        Transition(AppStatus.Online, $"pid {child.Pid}",
            st => st with { Pid = child.Pid, StartedAt = child.StartedAt, WaitingUntil = null });

        ChildExit exit;
        try
        {
            exit = await child.Exited.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            Transition(AppStatus.Stopping, run.StopReason);
            var stop = await _stopper.StopAsync(child.Pid, child.Exited, signal, spec.KillTimeout, CancellationToken.None);
            if (stop.Killed)
                _log.LogWarning("{App}: still running {Timeout} after {Signal}; sent SIGKILL",
                    spec.Name, spec.KillTimeout, Signals.Name(signal));
            if (stop.Doubt is { } doubt)
            {
                _log.LogError("{App}: {Doubt}", spec.Name, doubt);
                run.StopReason += "; " + doubt;
            }
            var stoppedExit = child.Exited.IsCompleted ? await child.Exited : null;
            _state = _state with { Pid = null, LastExit = stoppedExit ?? _state.LastExit };
            Release(run, child, pidFile);
            throw;
        }

        Release(run, child, pidFile);
        // The child is gone, but what it left in its group must not outlive it into the next
        // generation. Done in the background so the restart is not delayed by the scan: on the
        // pool, because the async method scans /proc synchronously before its first await (that
        // scan was most of the restart latency, docs/benchmarks.md).
        var leftoversOf = child.Pid;
        _ = Task.Run(async () =>
        {
            if (await _stopper.StopLeftoversAsync(leftoversOf, signal, spec.KillTimeout, CancellationToken.None) is { Doubt: { } doubt })
                _log.LogError("{App}: stopping what pid {Pid} left behind: {Doubt}", spec.Name, leftoversOf, doubt);
        });

        var decision = _policy.Decide(exit.Uptime, exit.ExitCode, _state.FastCrashes);
        _state = _state with { Pid = null, LastExit = exit, FastCrashes = decision.FastCrashes };
        return After(new RunOutcome(exit, decision));
    }

    /// <summary>Records a decision to restart (count, waiting status) before Polly applies its delay.</summary>
    private RunOutcome After(RunOutcome outcome)
    {
        var decision = outcome.Decision;
        if (decision.Action != RestartAction.Restart) return outcome;

        _state = _state with { Restarts = _state.Restarts + 1 };
        if (decision.Delay > TimeSpan.Zero)
        {
            var until = _context.Time.GetUtcNow() + decision.Delay;
            Transition(AppStatus.Waiting, $"{decision.Reason}; restarting in {Config.Duration.Format(decision.Delay)}",
                st => st with { WaitingUntil = until });
        }
        else
        {
            _log.LogInformation("{App} restarting: {Reason}", _spec.Name, decision.Reason);
        }
        return outcome;
    }

    private void Release(Run run, ChildProcess child, string pidFile)
    {
        run.Child = null;
        TryDeletePidFile(pidFile);
        _context.PidChanged?.Invoke(_spec.Name, null);
        // The output pumps may still read from pipes held by grandchildren; dispose after them.
        _ = child.OutputClosed.ContinueWith(static (_, c) => ((ChildProcess)c!).Dispose(), child,
            CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>A PID file is a convenience for other tools: failing to write one must never cost supervision.</summary>
    private void TryWritePidFile(string path, int pid)
    {
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            PidFile.Write(path, pid);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or SupException)
        {
            _log.LogWarning("{App}: could not write PID file {Path}: {Message}", _spec.Name, path, ex.Message);
        }
    }

    private void TryDeletePidFile(string path)
    {
        try { PidFile.Delete(path); }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or SupException)
        {
            _log.LogWarning("{App}: could not remove PID file {Path}: {Message}", _spec.Name, path, ex.Message);
        }
    }
}
