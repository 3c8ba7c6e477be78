using Microsoft.Extensions.Logging;
using Supervisor.Core.Config;
using Supervisor.Core.Logs;
using Supervisor.Core.Platform;

namespace Supervisor.Core.Supervision;

/// <summary>
/// One child of an app, from its start to its end, as services and job steps both run it: started
/// in its own session with its output in the app's logs; its exit awaited, or, when the caller
/// cancels, the stop cascade (<c>stop_signal</c> to the tree and what the daemon adopted from it,
/// <c>kill_timeout</c>, SIGKILL) logged with its outcome; after an exit of its own, what it left in
/// its group is stopped; and its process and pipes are released once its output has ended.
/// </summary>
public sealed class SupervisedRun
{
    private readonly AppSpec _spec;
    private readonly ProcessTreeStopper _stopper;
    private readonly ILogger _log;
    private readonly string? _what;
    private int _released;

    private SupervisedRun(ChildProcess child, AppSpec spec, ProcessTreeStopper stopper, ILogger log, string? what)
    {
        Child = child;
        _spec = spec;
        _stopper = stopper;
        _log = log;
        _what = what;
    }

    public ChildProcess Child { get; }
    public int Pid => Child.Pid;

    private string What => _what ?? $"pid {Child.Pid}";

    /// <summary>The stop signal of the app (SIGTERM unless stop_signal names another).</summary>
    public int StopSignal => Signals.TryParse(_spec.StopSignal, out var s) ? s : Signals.SIGTERM;

    /// <param name="what">How the log names this child ("step 2 (make)" for a job); its pid when null.</param>
    /// <exception cref="SupException">The program could not be started (the message is the OS's reason).</exception>
    public static SupervisedRun Start(AppSpec spec, ChildCommand command, AppLogs logs, SupervisorContext context,
        ProcessTreeStopper stopper, ILogger log, string? what = null)
    {
        var child = ChildProcess.Start(command, logs, context.Control, context.Time);
        return new SupervisedRun(child, spec, stopper, log, what);
    }

    /// <summary>Keeper hook: a child a previous daemon started, adopted by this one, run like one it started.</summary>
    /// <param name="what">How the log names this child ("step 2 (make)" for a job); its pid when null.</param>
    public static SupervisedRun Adopt(ChildProcess child, AppSpec spec, ProcessTreeStopper stopper, ILogger log, string? what = null) =>
        new(child, spec, stopper, log, what);

    /// <summary>
    /// The child's own exit; or, once <paramref name="cancellationToken"/> is cancelled, the stop
    /// cascade (after <paramref name="stopping"/>), ending with <see cref="RunEnd.Stopped"/> set.
    /// </summary>
    public async Task<RunEnd> WaitAsync(Action? stopping, CancellationToken cancellationToken)
    {
        try
        {
            return new RunEnd(await Child.Exited.WaitAsync(cancellationToken), Stopped: false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            stopping?.Invoke();
            var signal = StopSignal;
            var stop = await _stopper.StopAsync(Child.Pid, Child.Exited, signal, _spec.KillTimeout, CancellationToken.None);
            if (stop.Killed)
                _log.LogWarning("{App}: {What} still running {Timeout} after {Signal}; sent SIGKILL",
                    _spec.Name, What, Duration.Format(_spec.KillTimeout), Signals.Name(signal));
            if (stop.Doubt is { } doubt)
                _log.LogError("{App}: {What}: {Doubt}", _spec.Name, What, doubt);
            return new RunEnd(Child.Exited.IsCompleted ? await Child.Exited : null, Stopped: true, stop.Doubt);
        }
    }

    /// <summary>
    /// After the child exited on its own: stop what it left in its group or tree, so a restart or
    /// the next job run never overlaps with the last one's processes.
    /// </summary>
    public async Task StopLeftoversAsync()
    {
        if (await _stopper.StopLeftoversAsync(Child.Pid, StopSignal, _spec.KillTimeout, CancellationToken.None) is { Doubt: { } doubt })
            _log.LogError("{App}: stopping what {What} left behind: {Doubt}", _spec.Name, What, doubt);
    }

    /// <summary>Waits up to <paramref name="grace"/> for output still in the pipes; a grandchild holding them is not waited for.</summary>
    public Task DrainOutputAsync(TimeSpan grace, TimeProvider time) =>
        Child.OutputClosed.WaitAsync(grace, time, CancellationToken.None)
            .ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

    /// <summary>Releases the process and its pipes once its output has ended (grandchildren may still hold them). Idempotent.</summary>
    public void Release()
    {
        if (Interlocked.Exchange(ref _released, 1) == 1) return;
        _ = Child.OutputClosed.ContinueWith(static (_, c) => ((ChildProcess)c!).Dispose(), Child,
            CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }
}

/// <param name="Exit">How the child ended; null when it was stopped and its exit is not known.</param>
/// <param name="Stopped">It was stopped by the caller (cancelled), not ended on its own.</param>
/// <param name="Doubt">What a stop could not confirm (see <see cref="StopOutcome.Doubt"/>).</param>
public sealed record RunEnd(ChildExit? Exit, bool Stopped, string? Doubt = null);
