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
