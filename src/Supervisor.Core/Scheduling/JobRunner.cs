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
    public async Task<JobAttemptResult> RunAsync(RunContext run, string? file, Action<JobRunInfo> record, CancellationToken cancellationToken)
    {
        var attempt = 0;
        var pipeline = BuildRetry(spec.Job?.Retry);
        return await pipeline.ExecuteAsync(async ct =>
        {
            attempt++;
            var started = context.Time.GetUtcNow();
            var current = run.ForAttempt(attempt);
            await WriteHeaderAsync(current, ct);
            var errorStart = logs.Err.Length;
            var result = await RunAttemptAsync(current, file, ct);
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

    private ResiliencePipeline<JobAttemptResult> BuildRetry(RetrySpec? retry)
    {
        var builder = new ResiliencePipelineBuilder<JobAttemptResult> { TimeProvider = context.Time };
        if (retry is { Attempts: > 0 })
        {
            builder.AddRetry(new RetryStrategyOptions<JobAttemptResult>
            {
                ShouldHandle = static args => ValueTask.FromResult(args.Outcome.Result is { Succeeded: false, Stopped: false }),
                MaxRetryAttempts = retry.Attempts,
                UseJitter = false,
                // delay * multiplier^(n-1): the user's multiplier, not Polly's fixed factor of 2.
                // Polly numbers retries from 0, so the first retry waits exactly `delay`.
                DelayGenerator = args => ValueTask.FromResult<TimeSpan?>(RetryDelay(retry, args.AttemptNumber)),
                OnRetry = args =>
                {
                    log.LogWarning("{Job}: attempt {Attempt} failed ({Summary}); retrying in {Delay}",
                        spec.Name, args.AttemptNumber + 1, args.Outcome.Result?.Summary, Duration.Format(args.RetryDelay));
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

    private async Task<JobAttemptResult> RunAttemptAsync(RunContext run, string? file, CancellationToken cancellationToken)
    {
        var steps = spec.Job?.Steps is { Count: > 0 } list ? list : null;
        if (steps is null)
            return await RunStepAsync(run.ApplyTo(WithFile(ChildCommand.For(spec), file, asArgument: true), substituteArguments: true), "run", cancellationToken);

        for (var i = 0; i < steps.Count; i++)
        {
            // A step is a shell line: its shell expands ${SUP_RUN_ID} from the environment itself.
            var command = run.ApplyTo(ChildCommand.ForStep(spec, steps[i], file is null ? [] : [file]), substituteArguments: false);
            var result = await RunStepAsync(WithFile(command, file, asArgument: false), $"step {i + 1} ({steps[i]})", cancellationToken);
            if (!result.Succeeded) return result;
        }
        return JobAttemptResult.Ok;
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
