using Microsoft.Extensions.Logging;

namespace Supervisor.Core.Scheduling;

/// <summary>
/// PM2's cron_restart: calls back at every occurrence of the expression (in the machine's zone),
/// whatever the service is doing: as in PM2, a stopped app is started, which is what makes the
/// <c>autorestart: false</c> + <c>cron_restart</c> idiom run on schedule.
/// </summary>
public sealed class CronRestarter : IAsyncDisposable
{
    // .NET timers refuse waits beyond ~49.7 days; yearly expressions wait in steps.
    private static readonly TimeSpan LongestWait = TimeSpan.FromDays(1);

    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    /// <exception cref="CronFormatException">The expression does not parse (the loader checks it first).</exception>
    public CronRestarter(string app, string expression, Func<string, Task> fire, TimeProvider time, ILogger log)
    {
        var cron = CronExpression.Parse(expression);
        _loop = Task.Run(() => LoopAsync(app, expression, cron, fire, time, log, _stop.Token));
    }

    private static async Task LoopAsync(string app, string text, CronExpression cron, Func<string, Task> fire, TimeProvider time, ILogger log, CancellationToken ct)
    {
        var zone = time.LocalTimeZone;
        var from = time.GetUtcNow();
        try
        {
            while (cron.GetNextOccurrence(from, zone) is { } next)
            {
                for (var wait = next - time.GetUtcNow(); wait > TimeSpan.Zero; wait = next - time.GetUtcNow())
                {
                    await Task.Delay(wait < LongestWait ? wait : LongestWait, time, ct);
                }

                from = next;
                try
                {
                    await fire($"cron_restart {text}");
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    log.LogError(ex, "{App}: cron_restart at {Time} failed", app, next);
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        // The loop may be inside fire, which queues on the owner that is disposing this: not awaited then.
        if (_loop.IsCompleted) await _loop;
    }
}
