using Supervisor.Core.Config;
using Supervisor.Core.Logs;
using Supervisor.Core.Platform;
using Supervisor.Core.Supervision;
using Supervisor.Tests.TestSupport;
using Xunit;

namespace Supervisor.Tests.Supervision;

/// <summary>The stop cascade against real process trees, including when /proc cannot be read.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class ProcessTreeStopperTests : IAsyncLifetime
{
    private readonly string _home = Path.Combine("/tmp", "sup-t-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly List<int> _started = [];
    private AppLogs? _logs;

    public Task InitializeAsync()
    {
        Directory.CreateDirectory(_home);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        foreach (var pid in _started)
            if (Processes.IsAlive(pid)) ProcessControl.Current.Signal(pid, Signals.SIGKILL);
        if (_logs is not null) await _logs.DisposeAsync();
        Directory.Delete(_home, recursive: true);
    }

    /// <summary>
    /// A root that dies on SIGTERM and a child in its group that ignores it; the child's pid is
    /// written once its disposition is in place (the "ready" of a shell script).
    /// </summary>
    private async Task<(ChildProcess Root, int Stubborn)> StartTreeAsync()
    {
        var ready = Path.Combine(_home, "stubborn.pid");
        var script = $"(trap '' TERM; echo $(sh -c 'echo $PPID') > {ready}.tmp; mv {ready}.tmp {ready}; exec sleep 1000) & exec sleep 999";
        var spec = new AppSpec { Name = "tree", FileName = "/bin/sh", Arguments = ["-c", script], Cwd = _home };
        _logs = AppLogs.Open(spec, _home, TimeProvider.System);
        var root = ChildProcess.Start(ChildCommand.For(spec), _logs, ProcessControl.Current, TimeProvider.System);
        _started.Add(root.Pid);
        Assert.True(await Eventually.TrueAsync(() => Task.FromResult(File.Exists(ready)), TimeSpan.FromSeconds(10)), "the child is ready");
        var stubborn = int.Parse(File.ReadAllText(ready).Trim());
        _started.Add(stubborn);
        return (root, stubborn);
    }

    [Fact(Timeout = 30_000)]
    public async Task A_stop_that_cannot_read_proc_still_waits_for_the_group_and_kills_it()
    {
        var (root, stubborn) = await StartTreeAsync();
        var stopper = new ProcessTreeStopper(new BlindProcessControl(ProcessControl.Current), TimeProvider.System)
        {
            // The daemon's scan for adopted orphans cannot read /proc either.
            Extra = () => throw new IOException("Too many open files"),
        };

        var outcome = await stopper.StopAsync(root.Pid, root.Exited, Signals.SIGTERM, TimeSpan.FromMilliseconds(500), CancellationToken.None);

        Assert.True(root.Exited.IsCompleted);
        Assert.False(Processes.IsAlive(stubborn), "the member that ignores SIGTERM was SIGKILLed with its group");
        Assert.True(outcome.Killed, "SIGKILL was needed");
        Assert.Contains("/proc could not be read (Too many open files)", outcome.Doubt);
    }

    [Fact(Timeout = 30_000)]
    public async Task A_stop_that_reads_proc_kills_the_stubborn_child_and_has_no_doubt()
    {
        var (root, stubborn) = await StartTreeAsync();
        var stopper = new ProcessTreeStopper(ProcessControl.Current, TimeProvider.System);

        var outcome = await stopper.StopAsync(root.Pid, root.Exited, Signals.SIGTERM, TimeSpan.FromMilliseconds(500), CancellationToken.None);

        Assert.False(Processes.IsAlive(stubborn));
        Assert.Equal(new StopOutcome(Killed: true, Doubt: null), outcome);
    }

    /// <summary>What the platform answers with no descriptor left (EMFILE): kill(2) works, /proc does not.</summary>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private sealed class BlindProcessControl(IProcessControl real) : IProcessControl
    {
        public bool CanCreateSessions => real.CanCreateSessions;
        public long TicksPerSecond => real.TicksPerSecond;
        public long BootTimeUnixSeconds => real.BootTimeUnixSeconds;
        public int CurrentUid => real.CurrentUid;
        public bool Signal(int pid, int signal) => real.Signal(pid, signal);
        public bool SignalGroup(int processGroupId, int signal) => real.SignalGroup(processGroupId, signal);
        public bool IsAlive(int pid) => pid > 0 && (Libc.Kill(pid, 0) == 0);
        public ProcessInfo? TryGetInfo(int pid) => null;
        public IReadOnlyList<int> GetProcessTree(int rootPid) => throw new IOException("Too many open files");
        public ProcessStartWrapper WrapForNewSession(string fileName, IReadOnlyList<string> arguments) => real.WrapForNewSession(fileName, arguments);
    }
}
