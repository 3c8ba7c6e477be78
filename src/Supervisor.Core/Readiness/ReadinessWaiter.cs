namespace Supervisor.Core.Readiness;

/// <summary>
/// Waits until an app passes its `ready:` check or `ready_timeout` runs out. An active check
/// (tcp, http, exec) is polled: first after <see cref="FirstPoll"/>, the pause doubling up to
/// <see cref="MaxPoll"/>, so an app ready in 100 ms is seen at once and a slow one costs a
/// check a second; each check is bounded by <see cref="AttemptTimeout"/> and by the time left.
/// A passive one (log, notify) is awaited.
/// </summary>
public static class ReadinessWaiter
{
    /// <summary>ready_timeout when none is given.</summary>
    public static readonly TimeSpan DefaultReadyTimeout = TimeSpan.FromSeconds(30);

    public static readonly TimeSpan FirstPoll = TimeSpan.FromMilliseconds(200);
    public static readonly TimeSpan MaxPoll = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(2);

    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled (the run was stopped).</exception>
    public static async Task<ReadyOutcome> WaitAsync(IProbe probe, TimeSpan readyTimeout, TimeProvider time, CancellationToken cancellationToken)
    {
        var start = time.GetUtcNow();
        var deadline = start + readyTimeout;
        if (probe is IPassiveProbe passive)
        {
            try
            {
                await passive.Seen.WaitAsync(readyTimeout, time, cancellationToken);
                return new ReadyOutcome(true, time.GetUtcNow() - start, null);
            }
            catch (TimeoutException)
            {
                return new ReadyOutcome(false, time.GetUtcNow() - start, passive.Pending);
            }
        }

        var pause = FirstPoll;
        string? last = null;
        while (true)
        {
            var left = deadline - time.GetUtcNow();
            if (left <= TimeSpan.Zero) return new ReadyOutcome(false, time.GetUtcNow() - start, last ?? "not checked");
            var cutShort = left < AttemptTimeout;
            var result = await probe.CheckAsync(cutShort ? left : AttemptTimeout, cancellationToken);
            if (result.Passed) return new ReadyOutcome(true, time.GetUtcNow() - start, null);
            // A last check cut short by the deadline that times out only says the time ran out
            // (on a loaded machine a 5 ms connect can); how the app answered before is the news.
            if (!(cutShort && result.IsTimeout && last is not null)) last = result.Failure;

            left = deadline - time.GetUtcNow();
            if (left <= TimeSpan.Zero) return new ReadyOutcome(false, time.GetUtcNow() - start, last);
            await Task.Delay(pause < left ? pause : left, time, cancellationToken);
            pause = pause * 2 < MaxPoll ? pause * 2 : MaxPoll;
        }
    }
}
