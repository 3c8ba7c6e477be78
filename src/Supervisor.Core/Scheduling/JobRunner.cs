using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;
using Supervisor.Core.Config;
using Supervisor.Core.Logs;
using Supervisor.Core.Platform;
using Supervisor.Core.Protocol;
using Supervisor.Core.Supervision;

namespace Supervisor.Core.Scheduling;

/// <summary>
/// Runs one triggered run of a job: its steps in order (stopping at the first failure) or its
/// own command, retried on failure by Polly with delays of <c>delay * multiplier^(n-1)</c> on the
/// injected clock. Every attempt is reported for the history, a stopped one included.
/// Cancelling stops the running step with the same cascade as a service; a stopped run is not
/// retried.
/// </summary>
public sealed class JobRunner(AppSpec spec, AppLogs logs, SupervisorContext context, ILogger log)
{
    // Output still buffered in the pipes is read before the attempt is recorded, so the log is
    // complete when the history says the run ended; a grandchild holding the pipe is not waited for.
    private static readonly TimeSpan OutputGrace = TimeSpan.FromSeconds(1);

    private readonly ProcessTreeStopper _stopper = new(context.Control, context.Time)
    {
        Extra = context.AdoptedBy is { } adopted ? () => adopted(spec.Name) : null,
    };

    /// <summary>Called with the pid of each step as it starts, and with 0 when it has ended.</summary>
    public Action<int>? OnChild { get; init; }

    /// <summary>The last attempt's result; <see cref="JobAttemptResult.Stopped"/> when cancelled.</summary>
    /// <exception cref="OperationCanceledException">Cancelled while waiting between attempts.</exception>
    /// <param name="run">Who the run is (id, trigger, due time); each attempt gets its number in SUP_ATTEMPT.</param>
    /// <param name="adopted">
    /// A step of this run that a previous daemon started and that outlived it: the run goes on
    /// from there (its attempt is <paramref name="run"/>'s, the steps after it follow, and the
    /// retries left after it), instead of from its first attempt.
    /// </param>
    public async Task<JobAttemptResult> RunAsync(RunContext run, string? file, Action<JobRunInfo> record, CancellationToken cancellationToken,
        AdoptedStep? adopted = null)
    {
        // Attempts the run had made before the adopted one: they count against its retries.
        var made = adopted is null ? 0 : Math.Max(0, run.Attempt - 1);
        var attempt = made;
        var pipeline = BuildRetry(spec.Job?.Retry, made);
        return await pipeline.ExecuteAsync(async ct =>
        {
            attempt++;
            var resumed = adopted is not null && attempt == made + 1 ? adopted : null;
            var started = resumed?.Child.StartedAt ?? context.Time.GetUtcNow();
            var current = run.ForAttempt(attempt);
            // An adopted attempt's header is in the log already: the daemon that started it wrote it.
            if (resumed is null) await WriteHeaderAsync(current, ct);
            var errorStart = logs.Err.Length;
            var result = resumed is null ? await RunAttemptAsync(current, file, ct) : await ResumeAttemptAsync(current, file, resumed, ct);
            if (result is { Succeeded: false, Stopped: false })
                result = result with { ErrorLine = FirstOutputLine.Read(logs.ErrPath, errorStart) };
            var ended = context.Time.GetUtcNow();
            record(new JobRunInfo
            {
                Job = spec.Name,
                Start = started.ToString("O"),
                End = ended.ToString("O"),
                DurationMs = (long)(ended - started).TotalMilliseconds,
                ExitCode = result.ExitCode,
                Trigger = current.Trigger,
                Result = result.Summary,
                Attempt = attempt,
                File = file,
                RunId = run.RunId,
            });
            return result;
        }, cancellationToken);
    }

    /// <param name="made">Attempts made before the first one this pipeline runs (an adopted run's).</param>
    private ResiliencePipeline<JobAttemptResult> BuildRetry(RetrySpec? retry, int made)
    {
        var builder = new ResiliencePipelineBuilder<JobAttemptResult> { TimeProvider = context.Time };
        if (retry is not null && retry.Attempts - made > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<JobAttemptResult>
            {
                ShouldHandle = static args => ValueTask.FromResult(args.Outcome.Result is { Succeeded: false, Stopped: false }),
                MaxRetryAttempts = retry.Attempts - made,
                UseJitter = false,
                // delay * multiplier^(n-1): the user's multiplier, not Polly's fixed factor of 2.
                // Polly numbers retries from 0, so the first retry waits exactly `delay`.
                DelayGenerator = args => ValueTask.FromResult<TimeSpan?>(RetryDelay(retry, args.AttemptNumber + made)),
                OnRetry = args =>
                {
                    log.LogWarning("{Job}: attempt {Attempt} failed ({Summary}); retrying in {Delay}",
                        spec.Name, args.AttemptNumber + 1 + made, args.Outcome.Result?.Summary, Duration.Format(args.RetryDelay));
                    return ValueTask.CompletedTask;
                },
            });
        }
        return builder.Build();
    }

    /// <summary>The wait before retry number <paramref name="retryIndex"/> (0 = the first retry).</summary>
    public static TimeSpan RetryDelay(RetrySpec retry, int retryIndex)
    {
        var ticks = retry.Delay.Ticks * Math.Pow(retry.Multiplier, retryIndex);
        return ticks >= TimeSpan.MaxValue.Ticks ? TimeSpan.MaxValue : TimeSpan.FromTicks((long)ticks);
    }

    /// <summary>
    /// One line in the out log before the attempt's output, naming the run: `sup logs JOB` then
    /// shows which run printed what (docs/jobs.md, "Run context"). A log that cannot be written
    /// drops it like any other line.
    /// </summary>
    private async Task WriteHeaderAsync(RunContext run, CancellationToken cancellationToken)
    {
        try
        {
            await logs.Out.WriteAsync(System.Text.Encoding.UTF8.GetBytes(run.LogHeader + "\n"), cancellationToken);
        }
        catch (ObjectDisposedException)
        {
            // The app is being deleted: its logs are closed, and the run is about to be stopped.
        }
    }

    private Task<JobAttemptResult> RunAttemptAsync(RunContext run, string? file, CancellationToken cancellationToken)
    {
        if (spec.Job?.Steps is not { Count: > 0 } steps)
            return RunStepAsync(run.ApplyTo(WithFile(ChildCommand.For(spec), file, asArgument: true), substituteArguments: true), "run", cancellationToken);
        return RunStepsAsync(run, file, steps, 0, cancellationToken);
    }

    /// <summary>Steps <paramref name="from"/> (0-based) to the last, stopping at the first failure.</summary>
    private async Task<JobAttemptResult> RunStepsAsync(RunContext run, string? file, IReadOnlyList<string> steps, int from, CancellationToken cancellationToken)
    {
        for (var i = from; i < steps.Count; i++)
        {
            // A step is a shell line: its shell expands ${SUP_RUN_ID} from the environment itself.
            var command = run.ApplyTo(ChildCommand.ForStep(spec, steps[i], file is null ? [] : [file]), substituteArguments: false)
                .WithEnvironment(RunContext.StepVariable, (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
            var result = await RunStepAsync(WithFile(command, file, asArgument: false), StepName(steps, i), cancellationToken);
            if (!result.Succeeded) return result;
        }
        return JobAttemptResult.Ok;
    }

    private static string StepName(IReadOnlyList<string> steps, int index) => $"step {index + 1} ({steps[index]})";

    /// <summary>
    /// The rest of an attempt whose step outlived the daemon that started it: that step is waited
    /// for as if this daemon had started it, and the steps after it (SUP_STEP says which it was) run.
    /// </summary>
    private async Task<JobAttemptResult> ResumeAttemptAsync(RunContext run, string? file, AdoptedStep adopted, CancellationToken cancellationToken)
    {
        var steps = spec.Job?.Steps is { Count: > 0 } list ? list : null;
        // A step number the spec does not have (a job edited meanwhile): that step ends the attempt.
        var index = steps is not null && adopted.Step is int n && n >= 1 && n <= steps.Count ? n - 1 : (int?)null;
        var what = steps is null ? "run" : index is int i ? StepName(steps, i) : "adopted step";
        var result = await AwaitStepAsync(SupervisedRun.Adopt(adopted.Child, spec, _stopper, log, what), what, cancellationToken);
        if (!result.Succeeded || steps is null || index is not int done) return result;
        return await RunStepsAsync(run, file, steps, done + 1, cancellationToken);
    }

    private static ChildCommand WithFile(ChildCommand command, string? file, bool asArgument)
    {
        if (file is null) return command;
        var withEnv = command.WithEnvironment("SUP_FILE", file);
        return asArgument ? withEnv.WithExtraArgument(file) : withEnv;
    }

    private async Task<JobAttemptResult> RunStepAsync(ChildCommand command, string what, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested) return JobAttemptResult.StoppedWith(null);

        SupervisedRun child;
        try
        {
            child = SupervisedRun.Start(spec, command, logs, context, _stopper, log, what);
        }
        catch (SupException ex)
        {
            // A missing script is a failed attempt like any other: recorded, and retried. Its exit
            // code is 127, what a shell reports for a command it cannot run.
            return new JobAttemptResult(false, 127, $"{what}: {ex.Message}");
        }

        return await AwaitStepAsync(child, what, cancellationToken);
    }

    /// <summary>A started (or adopted) step, to its end: its exit, or the stop cascade once cancelled.</summary>
    private async Task<JobAttemptResult> AwaitStepAsync(SupervisedRun child, string what, CancellationToken cancellationToken)
    {
        OnChild?.Invoke(child.Pid);
        try
        {
            var end = await child.WaitAsync(null, cancellationToken);
            if (end.Stopped) return JobAttemptResult.StoppedWith(end.Exit?.ExitCode);

            // A step is done when it exits: what it left running in its group is stopped, so a
            // run never leaks processes into the next one (as systemd does for a oneshot unit).
            await child.StopLeftoversAsync();
            await child.DrainOutputAsync(OutputGrace, context.Time);
            var exit = end.Exit!;
            return exit.ExitCode == 0
                ? JobAttemptResult.Ok
                : new JobAttemptResult(false, exit.ExitCode, $"{what} failed with {exit.Describe()}");
        }
        finally
        {
            OnChild?.Invoke(0);
            child.Release();
        }
    }
}

/// <summary>A job step a previous daemon started and that outlived it, adopted by this daemon.</summary>
/// <param name="Step">Its step number (1 for the first; SUP_STEP), null for a job's own command.</param>
public sealed record AdoptedStep(ChildProcess Child, int? Step);
