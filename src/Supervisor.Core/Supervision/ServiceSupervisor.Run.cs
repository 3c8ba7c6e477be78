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

    private sealed record RunOutcome(ChildExit? Exit, RestartDecision Decision)
    {
        /// <summary>A fast crash the policy restarts: the one outcome Polly's retry handles.</summary>
        public bool IsFastCrashRestart => Decision is { Action: RestartAction.Restart, FastCrashes: > 0 };
    }

    private ResiliencePipeline<RunOutcome> _backoff;

    /// <summary>
    /// Polly's exponential retry is the crash backoff of SPEC section 3: after fast crash n it waits
    /// exp_backoff_restart_delay * 2^(n-1) on the injected clock (no jitter, capped at a day), for
    /// max_restarts - 1 retries; the next fast crash is the policy's GiveUp, which ends the
    /// execution. A run that lived min_uptime also ends it: <see cref="RunAsync"/> then starts a
    /// fresh execution after restart_delay, so the count starts from zero again.
    /// <see cref="RestartPolicy"/> stays the pure rule of what an exit means.
    /// </summary>
    private ResiliencePipeline<RunOutcome> BuildBackoff(Config.AppSpec spec)
    {
        var builder = new ResiliencePipelineBuilder<RunOutcome> { TimeProvider = _context.Time };
        if (spec.MaxRestarts > 1)
        {
            builder.AddRetry(new RetryStrategyOptions<RunOutcome>
            {
                ShouldHandle = static args => ValueTask.FromResult(args.Outcome.Result?.IsFastCrashRestart == true),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = false,
                Delay = spec.ExpBackoffRestartDelay < RestartPolicy.MaxBackoff ? spec.ExpBackoffRestartDelay : RestartPolicy.MaxBackoff,
                MaxDelay = RestartPolicy.MaxBackoff,
                MaxRetryAttempts = spec.MaxRestarts - 1,
                // Called before Polly arms its delay: `sup ls` shows waiting, and until when, from Polly's own figure.
                OnRetry = args =>
                {
                    BackingOff(args.Outcome.Result!.Decision.Reason, args.RetryDelay);
                    return ValueTask.CompletedTask;
                },
            });
        }
        return builder.Build();
    }

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
            while (true)
            {
                var outcome = await _backoff.ExecuteAsync((r, ct) => RunOnceAsync(r, ct), run, run.Cancel.Token);
                var decision = outcome.Decision;
                if (decision.Action == RestartAction.Stay)
                {
                    Handle(ServiceEvent.StayedDown, decision.Reason);
                    return;
                }
                if (decision.Action == RestartAction.GiveUp || outcome.IsFastCrashRestart)
                {
                    // A fast-crash restart returned by Polly means its retries ran out first; the
                    // policy counts the same, so this is GiveUp either way.
                    Handle(ServiceEvent.GaveUp, decision.Reason + CoolDownNote());
                    if (!await CoolDownAsync(run)) return;
                    continue;
                }

                // It lived min_uptime: a fresh execution after restart_delay, counting from zero.
                BackingOff(decision.Reason, _spec.RestartDelay);
                if (_spec.RestartDelay > TimeSpan.Zero)
                    await Task.Delay(_spec.RestartDelay, _context.Time, run.Cancel.Token);
            }
        }
        catch (OperationCanceledException) when (run.Cancel.IsCancellationRequested)
        {
            Handle(ServiceEvent.Stopped, run.StopReason, s => s with { Pid = null, WaitingUntil = null });
        }
        catch (Exception ex)
        {
            _log.LogError(ex, "{App}: supervision failed", _spec.Name);
            Handle(ServiceEvent.Failed, $"supervision failed: {ex.Message}", s => s with { Pid = null });
        }
    }

    /// <summary>A restart is decided: counted, and shown as waiting when it waits (a backoff or restart_delay).</summary>
    private void BackingOff(string reason, TimeSpan delay)
    {
        _state = _state with { Restarts = _state.Restarts + 1 };
        Raise(Events.EventKind.Restarting, delay > TimeSpan.Zero ? $"{reason}; restarting in {Config.Duration.Format(delay)}" : $"{reason}; restarting now");
        if (delay > TimeSpan.Zero)
        {
            var until = _context.Time.GetUtcNow() + delay;
            Handle(ServiceEvent.BackingOff, $"{reason}; restarting in {Config.Duration.Format(delay)}",
                st => st with { WaitingUntil = until });
        }
        else
        {
            _log.LogInformation("{App} restarting: {Reason}", _spec.Name, reason);
        }
    }

    private async ValueTask<RunOutcome> RunOnceAsync(Run run, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var spec = _spec;
        Handle(ServiceEvent.Starting, _state.Status == AppStatus.Waiting ? "backoff over" : run.StartReason);

        SupervisedRun child;
        try
        {
            // Keeper hook: a child a previous daemon started and this one adopted is the first of the run.
            child = Interlocked.Exchange(ref _adopted, null) is { } adopted
                ? SupervisedRun.Adopt(adopted, spec, _stopper, _log)
                : SupervisedRun.Start(spec, Cluster.ClusterLaunch.Command(spec, _context), _logs, _context, _stopper, _log);
        }
        catch (SupException ex)
        {
            // A start that fails outright counts as a crash with no uptime, so a missing
            // interpreter ends in errored after the usual backoff instead of spinning.
            var failed = _policy.Decide(TimeSpan.Zero, 127, _state.FastCrashes);
            _state = _state with { FastCrashes = failed.FastCrashes };
            return new RunOutcome(null, failed with { Reason = ex.Message + " " + failed.Reason });
        }

        run.Child = child.Child;
        var pidFile = _context.PidFileFor(spec);
        _context.PidChanged?.Invoke(spec.Name, child.Pid); // journal first: a PID file must never name an unknown process
        TryWritePidFile(pidFile, child.Pid);
        Handle(ServiceEvent.Spawned, $"pid {child.Pid}",
            st => st with { Pid = child.Pid, StartedAt = child.Child.StartedAt, WaitingUntil = null });

        var end = await child.WaitAsync(() => Handle(ServiceEvent.Stopping, run.StopReason), cancellationToken);
        Release(run, child, pidFile);
        if (end.Stopped)
        {
            if (end.Doubt is { } doubt) run.StopReason += "; " + doubt;
            _state = _state with { Pid = null, LastExit = end.Exit ?? _state.LastExit };
            throw new OperationCanceledException(cancellationToken);
        }

        // The child is gone, but what it left in its group must not outlive it into the next
        // generation. Done in the background so the restart is not delayed by the scan: on the
        // pool, because the async method scans /proc synchronously before its first await (that
        // scan was most of the restart latency, docs/benchmarks.md).
        _ = Task.Run(child.StopLeftoversAsync);

        var exit = end.Exit!;
        var decision = _policy.Decide(exit.Uptime, exit.ExitCode, _state.FastCrashes);
        _state = _state with { Pid = null, LastExit = exit, FastCrashes = decision.FastCrashes };
        RaiseExit(exit);
        return new RunOutcome(exit, decision);
    }

    private void Release(Run run, SupervisedRun child, string pidFile)
    {
        run.Child = null;
        TryDeletePidFile(pidFile);
        _context.PidChanged?.Invoke(_spec.Name, null);
        child.Release();
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
