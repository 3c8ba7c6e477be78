using System.Diagnostics;
using Supervisor.Core.Platform;
using Xunit;

namespace Supervisor.Tests.Platform;

public class ProcessControlTests
{
    private readonly IProcessControl pc = ProcessControl.Current;

    [Fact]
    public void Linux_gets_the_proc_based_implementation_that_can_create_sessions()
    {
        Assert.True(OperatingSystem.IsLinux());
        Assert.True(pc.CanCreateSessions, "util-linux setsid is expected on the test machine.");
        Assert.Equal(100, pc.TicksPerSecond);
        Assert.True(pc.BootTimeUnixSeconds > 0 && pc.BootTimeUnixSeconds < DateTimeOffset.UtcNow.ToUnixTimeSeconds());
    }

    [Fact]
    public void Wrapped_command_keeps_the_program_and_its_arguments_in_order()
    {
        var wrapper = pc.WrapForNewSession("-odd-name", ["a b", "--flag"]);

        Assert.EndsWith("/setsid", wrapper.FileName);
        Assert.Equal(["--", "-odd-name", "a b", "--flag"], wrapper.Arguments);
    }

    [Fact]
    public async Task Wrapped_child_leads_its_own_session_and_process_group()
    {
        using var child = SpawnedProcess.Shell(pc, "echo ready; sleep 300 & sleep 300 & wait");
        await child.WaitForLineAsync("ready");

        var info = pc.TryGetInfo(child.Pid);

        Assert.NotNull(info);
        Assert.Equal(child.Pid, info.ProcessGroupId);
        Assert.Equal(child.Pid, info.SessionId);
        Assert.Equal(Environment.ProcessId, info.ParentPid);
        Assert.Equal("sh", info.Command);
    }

    [Fact]
    public async Task Process_tree_holds_the_shell_and_both_sleeps()
    {
        using var child = SpawnedProcess.Shell(pc, "sleep 300 & echo $!; sleep 300 & echo $!; wait");
        var first = await child.ReadPidLineAsync();
        var second = await child.ReadPidLineAsync();

        var tree = pc.GetProcessTree(child.Pid);

        Assert.Equal([child.Pid, first, second], tree.Order());
    }

    [Fact]
    public async Task SIGTERM_to_the_group_leaves_no_process_of_the_tree_alive()
    {
        using var child = SpawnedProcess.Shell(pc, "sleep 300 & echo $!; sleep 300 & echo $!; wait");
        int[] pids = [child.Pid, await child.ReadPidLineAsync(), await child.ReadPidLineAsync()];

        var sent = pc.SignalGroup(child.Pid, Signals.SIGTERM);

        Assert.True(sent);
        Assert.True(await Poll.UntilAsync(() => !pids.Any(pc.IsAlive)), "Some process of the tree survived SIGTERM.");
        Assert.Empty(pc.GetProcessTree(child.Pid));
        await child.Process.WaitForExitAsync();
        Assert.Equal(143, child.Process.ExitCode);
        // Reaped by the runtime, so gone for kill(2) too. The orphaned sleeps may linger as zombies
        // where PID 1 does not reap (as on this machine): kill(pid, 0) still succeeds for those.
        Assert.False(pc.Signal(child.Pid, 0), "kill(pid, 0) still succeeds for the reaped shell.");
    }

    [Fact]
    public async Task Grandchild_that_left_the_group_is_still_found_through_its_parent()
    {
        using var child = SpawnedProcess.Shell(pc, "setsid sleep 300 & echo $!; wait");
        var escaped = await child.ReadPidLineAsync();
        Assert.True(await Poll.UntilAsync(() => pc.TryGetInfo(escaped) is { Command: "sleep" }));

        var tree = pc.GetProcessTree(child.Pid);

        Assert.Equal(escaped, pc.TryGetInfo(escaped)!.SessionId);
        Assert.Contains(escaped, tree);
        pc.SignalGroup(child.Pid, Signals.SIGKILL);
        Assert.True(await Poll.UntilAsync(() => !pc.IsAlive(child.Pid)));
        Assert.True(pc.IsAlive(escaped), "Signalling the group cannot reach a grandchild with its own session.");
        Assert.True(pc.Signal(escaped, Signals.SIGKILL));
    }

    [Fact]
    public async Task Orphan_left_in_the_session_is_found_after_its_parent_exited()
    {
        using var child = SpawnedProcess.Shell(pc, "sleep 300 & echo $!");
        var orphan = await child.ReadPidLineAsync();
        await child.Process.WaitForExitAsync();

        var tree = pc.GetProcessTree(child.Pid);

        Assert.Equal([orphan], tree);
        Assert.NotEqual(child.Pid, pc.TryGetInfo(orphan)!.ParentPid);
    }

    [Fact]
    public async Task Signal_to_a_process_that_is_gone_returns_false()
    {
        using var child = SpawnedProcess.Start(pc, "true");
        await child.Process.WaitForExitAsync();

        Assert.False(pc.IsAlive(child.Pid));
        Assert.False(pc.Signal(child.Pid, Signals.SIGTERM));
        Assert.False(pc.SignalGroup(child.Pid, Signals.SIGTERM));
        Assert.Null(pc.TryGetInfo(child.Pid));
        Assert.Empty(pc.GetProcessTree(child.Pid));
    }

    [Fact]
    public async Task Zombie_nobody_reaps_is_not_alive_and_not_in_the_tree()
    {
        // The shell execs into a sleep that never waits for the short sleep it started.
        using var child = SpawnedProcess.Shell(pc, "sleep 0.1 & echo $!; exec sleep 300");
        var zombie = await child.ReadPidLineAsync();

        Assert.True(await Poll.UntilAsync(() => !pc.IsAlive(zombie)));
        Assert.NotNull(pc.TryGetInfo(zombie));
        Assert.Equal([child.Pid], pc.GetProcessTree(child.Pid));
    }

    [Fact]
    public void Pids_that_would_address_groups_or_everyone_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => pc.Signal(0, Signals.SIGTERM));
        Assert.Throws<ArgumentOutOfRangeException>(() => pc.Signal(-1, Signals.SIGTERM));
        Assert.Throws<ArgumentOutOfRangeException>(() => pc.SignalGroup(1, Signals.SIGTERM));
        Assert.Throws<ArgumentOutOfRangeException>(() => pc.SignalGroup(0, Signals.SIGTERM));
        Assert.False(pc.IsAlive(0));
    }

    [Fact]
    public void Invalid_signal_number_is_a_clear_error()
    {
        var error = Assert.Throws<Supervisor.Core.SupException>(() => pc.Signal(Environment.ProcessId, 999));

        Assert.Equal(Supervisor.Core.SupError.BadArgument, error.Error);
    }

    [Fact]
    public void Process_tree_never_includes_this_process()
    {
        var self = pc.TryGetInfo(Environment.ProcessId)!;

        // In a container the session leader or the parent can live outside this PID namespace,
        // and /proc then reports 0 for it: such an id cannot be a tree's root. Pid 1 always is,
        // and its tree holds every process here but this one and its descendants.
        int[] roots = [Environment.ProcessId, self.SessionId, self.ParentPid, 1];
        foreach (var root in roots.Where(pid => pid > 0).Distinct())
        {
            Assert.DoesNotContain(Environment.ProcessId, pc.GetProcessTree(root));
        }
    }

    [Fact]
    public void Process_tree_of_pid_zero_is_refused_not_read_as_a_session()
    {
        // Session 0 is what /proc reports for processes whose session lies outside this PID
        // namespace; reading 0 as a root would reach all of them.
        Assert.Throws<ArgumentOutOfRangeException>(() => pc.GetProcessTree(0));
    }

    [Fact]
    public async Task Info_reports_start_time_cpu_and_memory_of_a_child()
    {
        var before = DateTimeOffset.UtcNow;
        using var child = SpawnedProcess.Shell(pc, "echo ready; exec sleep 300");
        await child.WaitForLineAsync("ready");
        // "ready" is printed just before the exec: while the kernel swaps the shell for sleep the
        // process briefly has no memory map, and right after it sleep's pages are not faulted in
        // yet (RSS 0; clean-clone CI runs caught both). Read it once it is sleep, with its memory.
        Assert.True(await Supervisor.Tests.TestSupport.Eventually.TrueAsync(
            () => Task.FromResult(pc.TryGetInfo(child.Pid) is { Command: "sleep", RssBytes: > 0 }), TimeSpan.FromSeconds(10)),
            "the shell exec'd sleep, and its RSS was read above 0");
        var after = DateTimeOffset.UtcNow;

        var info = pc.TryGetInfo(child.Pid)!;
        var started = pc.GetStartTime(info);

        // Boot time has whole seconds, and the clock may have been adjusted since boot: be lenient.
        Assert.InRange(started, before.AddSeconds(-3), after.AddSeconds(3));
        Assert.True(info.RssBytes > 0);
    }

    [Fact]
    public void Current_uid_is_the_owner_of_files_this_process_creates()
    {
        var path = Path.Combine("/tmp", "sup-t-" + Guid.NewGuid().ToString("N")[..8]);
        File.WriteAllText(path, "");
        try
        {
            var owner = Process.Start(new ProcessStartInfo("stat", ["-c", "%u", path]) { RedirectStandardOutput = true })!;
            var uid = int.Parse(owner.StandardOutput.ReadToEnd().Trim());
            owner.WaitForExit();

            Assert.Equal(uid, pc.CurrentUid);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
