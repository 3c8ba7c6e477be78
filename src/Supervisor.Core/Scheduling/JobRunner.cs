using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;
using Supervisor.Core.Config;
using Supervisor.Core.Logs;
using Supervisor.Core.Platform;
using Supervisor.Core.Protocol;
using Supervisor.Core.Supervision;

namespace Supervisor.Core.Scheduling;

/// <summary>The outcome of one attempt: exit code 0 of every step, or the first failure.</summary>
public sealed record JobAttemptResult(bool Succeeded, int? ExitCode, string Summary);

/// <summary>
/// Runs one triggered run of a job: its steps in order (stopping at the first failure) or its
/// own command, retried on failure by Polly with exponential delays (retry: attempts, delay,
/// multiplier). Every attempt is reported for the history. Cancelling stops the running step
/// with the same cascade as a service.
/// </summary>
public sealed class JobRunner(AppSpec spec, AppLogs logs, SupervisorContext context, ILogger log)
{
    private readonly ProcessTreeStopper _stopper = new(context.Control, context.Time);

    /// <summary>Called with the pid of each step as it starts (0 when it ends), for sampling and `sup ls`.</summary>
    public Action<int>? OnChild { get; init; }

    public async Task<JobAttemptResult> RunAsync(string trigger, string? file, Action<JobRunInfo> record, CancellationToken cancellationToken)
    {
        var attempt = 0;
        var pipeline = BuildRetry(spec.Job?.Retry);
        return await pipeline.ExecuteAsync(async ct =>
        {
            attempt++;
            var started = context.Time.GetUtcNow();
            var result = await RunAttemptAsync(file, ct);
            var ended = context.Time.GetUtcNow();
            record(new JobRunInfo
            {
                Job = spec.Name,
                Start = started.ToString("O"),
                End = ended.ToString("O"),
                DurationMs = (long)(ended - started).TotalMilliseconds,
                ExitCode = result.ExitCode,
                Trigger = attempt == 1 ? trigger : "retry",
                Result = result.Succeeded ? "ok" : result.Summary,
                Attempt = attempt,
                File = file,
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
                ShouldHandle = static args => ValueTask.FromResult(args.Outcome.Result is { Succeeded: false }),
                MaxRetryAttempts = retry.Attempts,
                UseJitter = false,
                // delay * multiplier^(n-1): the user's multiplier, not Polly's fixed factor of 2.
                DelayGenerator = args => ValueTask.FromResult<TimeSpan?>(
                    TimeSpan.FromTicks((long)(retry.Delay.Ticks * Math.Pow(retry.Multiplier, args.AttemptNumber)))),
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

    private async Task<JobAttemptResult> RunAttemptAsync(string? file, CancellationToken cancellationToken)
    {
        var steps = spec.Job?.Steps is { Count: > 0 } list ? list : null;
        if (steps is null)
            return await RunStepAsync(WithFile(ChildCommand.For(spec), file, asArgument: true), "run", cancellationToken);

        for (var i = 0; i < steps.Count; i++)
        {
            var command = ChildCommand.ForStep(spec, steps[i], file is null ? [] : [file]);
            var result = await RunStepAsync(WithFile(command, file, asArgument: false), $"step {i + 1} ({steps[i]})", cancellationToken);
            if (!result.Succeeded) return result;
        }
        return new JobAttemptResult(true, 0, "ok");
    }

    private static ChildCommand WithFile(ChildCommand command, string? file, bool asArgument)
    {
        if (file is null) return command;
        var withEnv = command.WithEnvironment("SUP_FILE", file);
        return asArgument ? withEnv.WithExtraArgument(file) : withEnv;
    }

    private async Task<JobAttemptResult> RunStepAsync(ChildCommand command, string what, CancellationToken cancellationToken)
    {
        var child = ChildProcess.Start(command, logs, context.Control, context.Time);
        OnChild?.Invoke(child.Pid);
        try
        {
            var exit = await child.Exited.WaitAsync(cancellationToken);
            await child.OutputClosed.WaitAsync(TimeSpan.FromSeconds(1), context.Time, CancellationToken.None)
                .ContinueWith(static _ => { }, TaskScheduler.Default);
            return exit.ExitCode == 0
                ? new JobAttemptResult(true, 0, "ok")
                : new JobAttemptResult(false, exit.ExitCode, $"{what} failed with {exit.Describe()}");
        }
        catch (OperationCanceledException)
        {
            var signal = Signals.TryParse(spec.StopSignal, out var s) ? s : Signals.SIGTERM;
            await _stopper.StopAsync(child.Pid, child.Exited, signal, spec.KillTimeout, CancellationToken.None);
            throw;
        }
        finally
        {
            OnChild?.Invoke(0);
            // Grandchildren may still hold the output pipes; release the process after them.
            _ = child.OutputClosed.ContinueWith(static (_, c) => ((ChildProcess)c!).Dispose(), child,
                CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }
}
