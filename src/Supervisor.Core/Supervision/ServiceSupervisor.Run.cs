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
        /// <summary>What the first start waits for (depends_on), and how `sup ls` names it; null = start at once.</summary>
        public Func<CancellationToken, Task>? Before { get; init; }
        public string? WaitingFor { get; init; }
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
    /// <param name="fastCrashesBefore">
    /// Fast crashes already counted (a run resumed after a daemon death): the doubling goes on from
    /// there, base * 2^n being Polly's first delay, with the retries that are left.
    /// </param>
    private ResiliencePipeline<RunOutcome> BuildBackoff(Config.AppSpec spec, int fastCrashesBefore = 0)
    {
        var builder = new ResiliencePipelineBuilder<RunOutcome> { TimeProvider = _context.Time };
        var first = fastCrashesBefore == 0 ? spec.ExpBackoffRestartDelay : new RestartPolicy(spec).BackoffAfter(fastCrashesBefore + 1);
        if (spec.MaxRestarts - 1 - fastCrashesBefore > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<RunOutcome>
            {
                ShouldHandle = static args => ValueTask.FromResult(args.Outcome.Result?.IsFastCrashRestart == true),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = false,
                Delay = first < RestartPolicy.MaxBackoff ? first : RestartPolicy.MaxBackoff,
                MaxDelay = RestartPolicy.MaxBackoff,
                MaxRetryAttempts = spec.MaxRestarts - 1 - fastCrashesBefore,
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

    private void BeginRun(string reason, bool freshCount, Func<CancellationToken, Task>? before = null, string? waitingFor = null)
    {
        if (freshCount) _state = _state with { FastCrashes = 0 };
        var run = new Run { StartReason = reason, Before = before, WaitingFor = waitingFor };
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
            // A copy running outside sup first (the app is still stopped), then its dependencies.
            await WaitForExternalAsync(run);
            if (run.Before is not null) await WaitBeforeAsync(run);
            while (true)
            {
                var backoff = Interlocked.Exchange(ref _resumedBackoff, null) ?? _backoff; // a resumed run's first execution goes on counting
                var outcome = await backoff.ExecuteAsync((r, ct) => RunOnceAsync(r, ct), run, run.Cancel.Token);
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
        Handle(ServiceEvent.Starting, _state.Status == AppStatus.Waiting ? "backoff over" : _restartCause ?? run.StartReason);

        SupervisedRun child;
        ChildProbes? probes = null;
        try
        {
            // Keeper hook: a child a previous daemon started and this one adopted is the first of the run.
            var adopted = Interlocked.Exchange(ref _adopted, null);
            // A cluster's process is its primary (Supervision/Cluster); anything else runs itself.
            var command = Cluster.ClusterLaunch.Command(spec, _context);
            probes = OpenProbes(spec, command, awaitReady: adopted is null);
            child = adopted is not null
                ? SupervisedRun.Adopt(adopted, spec, _stopper, _log)
                : SupervisedRun.Start(spec, probes.Apply(command), _logs, _context, _stopper, _log);
        }
        catch (SupException ex)
        {
            probes?.Dispose();
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
        if (probes.Ready is { } ready)
            Handle(ServiceEvent.Launched, $"pid {child.Pid}; waiting for {ready.What}",
                st => st with { Pid = child.Pid, StartedAt = child.Child.StartedAt, WaitingUntil = null });
        else
            Handle(ServiceEvent.Spawned, $"pid {child.Pid}{TakeRestartCause()}",
                st => st with { Pid = child.Pid, StartedAt = child.Child.StartedAt, WaitingUntil = null });

        // ready: and health: (ServiceSupervisor.Probes.cs): a failed check stops the child through
        // probeStop, which leaves the status alone; a stop of the run goes through Stopping.
        using var probeStop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var healthStop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var failure = probes.Ready is { } awaited ? await AwaitReadyAsync(awaited, spec, child, cancellationToken) : null;
        var readyFailed = failure is not null;
        var health = readyFailed ? null : StartHealth(probes, spec, child, healthStop.Token);
        if (failure is not null) await FailCheckAsync(failure, probeStop);
        var waiting = child.WaitAsync(() =>
        {
            if (cancellationToken.IsCancellationRequested) Handle(ServiceEvent.Stopping, run.StopReason);
        }, probeStop.Token);
        if (health is not null && await Task.WhenAny(waiting, health) == health && health.IsCompletedSuccessfully)
        {
            failure = health.Result;
            _unhealthy = failure;
            await FailCheckAsync(failure, probeStop);
        }
        var end = await waiting;
        await healthStop.CancelAsync();
        if (health is not null) await health.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        probes.Dispose();
        Release(run, child, pidFile);
        if (end.Stopped && !cancellationToken.IsCancellationRequested && failure is not null)
        {
            return ProbeFailed(failure, readyFailed, end, child);
        }
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
