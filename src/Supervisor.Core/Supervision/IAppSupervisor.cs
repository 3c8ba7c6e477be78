using Supervisor.Core.Config;

namespace Supervisor.Core.Supervision;

/// <summary>
/// The one owner of an app (a service or a job). Every command is queued and handled in
/// order by the owner; callers await the outcome. No locks around app state.
/// </summary>
public interface IAppSupervisor : IAsyncDisposable
{
    string Name { get; }
    AppSpec Spec { get; }
    AppSnapshot Snapshot();

    /// <summary>The pid whose tree is sampled for cpu and memory, if running.</summary>
    int? RootPid { get; }

    Task StartAsync(string reason, CancellationToken cancellationToken);

    /// <summary>
    /// depends_on: a start once <paramref name="before"/> (the dependencies) is done. A service
    /// queues it and returns, showing "waiting for <paramref name="waitingFor"/>"; by default the
    /// caller waits for <paramref name="before"/> itself.
    /// </summary>
    async Task StartAfterAsync(string reason, string waitingFor, Func<CancellationToken, Task> before, CancellationToken cancellationToken)
    {
        await before(cancellationToken);
        await StartAsync(reason, cancellationToken);
    }

    /// <summary>
    /// depends_on: true once the app is up as <paramref name="condition"/> asks, false if it ended
    /// errored or stopped instead. An app with no notion of readiness (a job) is up at once.
    /// </summary>
    Task<bool> WaitUntilAsync(DependencyCondition condition, CancellationToken cancellationToken) => Task.FromResult(true);
    Task StopAsync(string reason, CancellationToken cancellationToken);

    /// <summary>
    /// A stop the user asked for (`sup stop`), as opposed to the daemon shutting down. The same
    /// stop for a service; a job also drops the run it was due, so it owes no catch-up run later.
    /// </summary>
    Task StopByUserAsync(string reason, CancellationToken cancellationToken) => StopAsync(reason, cancellationToken);

    /// <summary>Stop (if running) and start again with a fresh fast-crash count.</summary>
    Task RestartAsync(string reason, CancellationToken cancellationToken);

    /// <summary>Swap in a changed spec; a running app restarts with it.</summary>
    Task UpdateAsync(AppSpec spec, string reason, CancellationToken cancellationToken);

    Task<bool> SignalAsync(int signal, CancellationToken cancellationToken);

    /// <summary>`sup reset`: zero the restart and fast-crash counters (a job: failures, and it runs at the next check).</summary>
    Task ResetAsync(CancellationToken cancellationToken);

    /// <summary>Cpu/memory measured by the daemon's sampler; drives max_memory_restart.</summary>
    void ReportUsage(Platform.ResourceUsage usage);
    Platform.ResourceUsage? LastUsage { get; }
}
