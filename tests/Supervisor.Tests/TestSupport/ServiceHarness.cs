using Microsoft.Extensions.Logging.Abstractions;
using Supervisor.Core.Config;
using Supervisor.Core.Logs;
using Supervisor.Core.Platform;
using Supervisor.Core.Supervision;
using Xunit;

namespace Supervisor.Tests.TestSupport;

/// <summary>
/// One <see cref="ServiceSupervisor"/> with real children and a hand-moved clock, in a home of
/// its own: the fixture of the tests that check a service's timing exactly (backoff, resume,
/// readiness, external copies). Each test class says what its app is; this holds the rest.
/// </summary>
internal sealed class ServiceHarness : IAsyncDisposable
{
    private ServiceSupervisor? _supervisor;
    private AppLogs? _logs;

    public ServiceHarness() => Directory.CreateDirectory(Home);

    public string Home { get; } = Path.Combine("/tmp", "sup-t-" + Guid.NewGuid().ToString("N")[..8]);

    public ManualTimeProvider Clock { get; } = new();

    /// <summary>An app that runs <paramref name="shellCommand"/> with sh in <see cref="Home"/>.</summary>
    public AppSpec Shell(string name, string shellCommand) =>
        new() { Name = name, FileName = "/bin/sh", Arguments = ["-c", shellCommand], Cwd = Home };

    /// <summary>The supervisor of <paramref name="spec"/>, its context as <paramref name="context"/> makes it.</summary>
    public ServiceSupervisor Create(AppSpec spec, Func<SupervisorContext, SupervisorContext>? context = null)
    {
        var made = new SupervisorContext(ProcessControl.Current, Clock, NullLoggerFactory.Instance, Home);
        _logs = AppLogs.Open(spec, Home, Clock);
        return _supervisor = new ServiceSupervisor(spec, _logs, context is null ? made : context(made));
    }

    public async Task<AppSnapshot> WaitForAsync(Func<AppSnapshot, bool> condition, string what) =>
        await Eventually.ValueAsync(() => Task.FromResult(_supervisor!.Snapshot()), condition, TimeSpan.FromSeconds(15), what);

    /// <summary>Waiting is shown just before the backoff's delay is armed: move the clock only once the timer exists.</summary>
    public async Task<AppSnapshot> WaitForBackoffAsync(Func<AppSnapshot, bool> condition, string what)
    {
        var snapshot = await WaitForAsync(s => s.Status == AppStatus.Waiting && condition(s), what);
        Assert.True(await Eventually.TrueAsync(() => Task.FromResult(Clock.PendingTimers > 0), TimeSpan.FromSeconds(15)), "the backoff's delay is armed");
        return snapshot;
    }

    public async ValueTask DisposeAsync()
    {
        if (_supervisor is not null) await _supervisor.DisposeAsync();
        if (_logs is not null) await _logs.DisposeAsync();
        Directory.Delete(Home, recursive: true);
    }
}
