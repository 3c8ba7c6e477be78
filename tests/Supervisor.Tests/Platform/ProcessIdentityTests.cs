using Supervisor.Core.Platform;
using Xunit;

namespace Supervisor.Tests.Platform;

public class ProcessIdentityTests
{
    private readonly IProcessControl pc = ProcessControl.Current;

    [Fact]
    public async Task Captured_process_is_recognized_while_it_runs_and_not_after()
    {
        using var child = SpawnedProcess.Shell(pc, "echo ready; exec sleep 300");
        await child.WaitForLineAsync("ready");

        var identity = ProcessIdentity.Capture(pc, child.Pid);

        Assert.NotNull(identity);
        Assert.True(identity.IsSameProcessAlive(pc));
        pc.Signal(child.Pid, Signals.SIGKILL);
        await child.Process.WaitForExitAsync();
        Assert.False(identity.IsSameProcessAlive(pc));
    }

    [Fact]
    public void Pid_now_held_by_a_process_with_another_start_time_is_not_the_same_process()
    {
        var current = ProcessIdentity.Capture(pc, Environment.ProcessId)!;
        var earlierOwnerOfThePid = current with { StartTimeTicks = current.StartTimeTicks - 1 };

        Assert.True(current.IsSameProcessAlive(pc));
        Assert.False(earlierOwnerOfThePid.IsSameProcessAlive(pc));
    }

    [Fact]
    public void Pid_with_no_process_has_no_identity()
    {
        Assert.Null(ProcessIdentity.Capture(pc, int.MaxValue));
    }
}
