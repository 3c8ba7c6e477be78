using Microsoft.Extensions.Logging;
using Supervisor.Core.Config;
using Supervisor.Core.Events;
using Supervisor.Core.Logs;

namespace Supervisor.Core.Notifications;

/// <summary>
/// Reads the event stream and tells each app's `notify:` targets about the events they listen
/// for, rate-limited per app and event kind (<see cref="RateLimiter"/>). It is one more
/// subscriber of the <see cref="EventBus"/>: its channel is bounded, and each delivery runs in a
/// task of its own (at most <see cref="MaxConcurrent"/> at once), so a hanging webhook delays
/// no owner and no other notification. Every failure is one line in daemon.log.
/// </summary>
public sealed class NotificationDispatcher(
    EventBus bus,
    Func<string, AppSpec?> specOf,
    string supHome,
    IEnumerable<INotifier> notifiers,
    TimeProvider time,
    ILogger log,
    TimeSpan? window = null)
{
    public const int MaxConcurrent = 8;
    private const int LogTailLines = 20;

    private readonly RateLimiter _limiter = new(window ?? RateLimiter.DefaultWindow);
    private readonly Dictionary<NotifyKind, INotifier> _notifiers = notifiers.ToDictionary(n => n.Kind);
    private readonly SemaphoreSlim _slots = new(MaxConcurrent, MaxConcurrent);
    private readonly HashSet<Task> _deliveries = [];
    private readonly Lock _deliveriesGate = new();

    /// <summary>Runs until cancelled; then waits (bounded by each target's timeout) for deliveries in flight.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var subscription = bus.Subscribe();
        var reader = subscription.Reader;
        Task<bool>? read = null;
        try
        {
            while (true)
            {
                read ??= reader.WaitToReadAsync(cancellationToken).AsTask();
                if (_limiter.NextClose is { } closes)
                {
                    var wait = closes - time.GetUtcNow();
                    if (wait > TimeSpan.Zero)
                    {
                        using var delay = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                        var timer = Task.Delay(wait, time, delay.Token);
                        await Task.WhenAny(read, timer);
                        await delay.CancelAsync();
                    }
                }
                else
                {
                    await Task.WhenAny(read);
                }

                if (read.IsCompleted)
                {
                    if (!await read) return; // the bus went away
                    read = null;
                    while (reader.TryRead(out var e)) Handle(e);
                }
                foreach (var (last, held) in _limiter.Close(time.GetUtcNow()))
                    Send(new Notification(last, held, ""), specOf(last.App!));
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            Task[] pending;
            lock (_deliveriesGate) pending = [.. _deliveries];
            await Task.WhenAll(pending);
        }
    }

    private void Handle(SupEvent e)
    {
        if (e.App is null || specOf(e.App) is not { } spec || !spec.Notify.Any(t => t.Wants(e.Kind))) return;
        if (!_limiter.TryAdmit(e, time.GetUtcNow()))
        {
            log.LogDebug("notify: {App} {Event} held back by the rate limit (one per {Window})", e.App, e.Kind.ToWire(), Duration.Format(_limiter.Length));
            return;
        }
        Send(new Notification(e, 0, LogTailOf(spec)), spec);
    }

    private void Send(Notification notification, AppSpec? spec)
    {
        if (spec is null) return; // deleted since
        var context = new NotifyContext(spec.Cwd);
        foreach (var target in spec.Notify.Where(t => t.Wants(notification.Event.Kind)))
        {
            if (!_notifiers.TryGetValue(target.Kind, out var notifier)) continue;
            var delivery = DeliverAsync(notifier, notification, target, context);
            lock (_deliveriesGate) _deliveries.Add(delivery);
            _ = delivery.ContinueWith(t => { lock (_deliveriesGate) _deliveries.Remove(t); }, TaskScheduler.Default);
        }
    }

    private async Task DeliverAsync(INotifier notifier, Notification notification, NotifyTarget target, NotifyContext context)
    {
        await Task.Yield(); // never on the dispatcher's loop
        await _slots.WaitAsync();
        try
        {
            await notifier.DeliverAsync(notification, target, context, CancellationToken.None);
            log.LogInformation("notify: told {Target} about {App} {Event}{Summary}", Where(target), notification.Event.App,
                notification.Event.Kind.ToWire(), notification.Suppressed > 0 ? $" (summary of {notification.Suppressed})" : "");
        }
        catch (Exception ex)
        {
            log.LogWarning("notify: {Target} failed for {App} {Event}: {Message}", Where(target), notification.Event.App,
                notification.Event.Kind.ToWire(), ex.Message);
        }
        finally
        {
            _slots.Release();
        }
    }

    private static string Where(NotifyTarget target) => target.Kind switch
    {
        NotifyKind.Exec => $"exec \"{target.Exec}\"",
        NotifyKind.Webhook => $"webhook {target.Webhook?.GetLeftPart(UriPartial.Authority)}",
        _ => "desktop",
    };

    private string LogTailOf(AppSpec spec)
    {
        var path = LogPaths.ErrOf(supHome, spec);
        try { return string.Join('\n', LogTail.ReadLastLines(path, LogTailLines)); }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { return ""; }
    }
}
