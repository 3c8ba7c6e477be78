using Supervisor.Core.Config;

namespace Supervisor.Core.Notifications;

/// <summary>Delivers a notification to one kind of target. Throws on failure; the dispatcher logs it.</summary>
public interface INotifier
{
    NotifyKind Kind { get; }
    Task DeliverAsync(Notification notification, NotifyTarget target, NotifyContext context, CancellationToken cancellationToken);
}

/// <summary>Where a notified command runs: the app's folder, or SUP_HOME for the daemon's events.</summary>
public sealed record NotifyContext(string WorkingDirectory);
