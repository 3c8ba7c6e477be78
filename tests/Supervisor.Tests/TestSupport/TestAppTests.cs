using System.Diagnostics;
using Supervisor.Core.Platform;
using Supervisor.Tests.Platform;
using Xunit;

namespace Supervisor.Tests.TestSupport;

public class TestAppTests
{
    private readonly IProcessControl pc = ProcessControl.Current;

    [Fact]
    public async Task Testapp_runs_from_the_test_output_and_echoes_its_arguments()
    {
        var (fileName, args) = TestApp.Command("echo-args", "a", "b c");
        var info = new ProcessStartInfo(fileName, args) { RedirectStandardOutput = true, RedirectStandardError = true };

        using var process = Process.Start(info)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.Equal(0, process.ExitCode);
        Assert.Equal("a\nb c\n", output);
    }

    [Fact]
    public async Task Graceful_stop_reports_stopping_and_stopped_then_exits_cleanly()
    {
        using var app = Start("graceful-stop", "100");
        await app.WaitForLineAsync("ready");

        pc.Signal(app.Pid, Signals.SIGTERM);

        Assert.Equal("stopping", await app.ReadLineAsync());
        Assert.Equal("stopped", await app.ReadLineAsync());
        await app.Process.WaitForExitAsync();
        Assert.Equal(0, app.Process.ExitCode);
    }

    [Fact]
    public async Task Ignore_sigterm_survives_SIGTERM_until_killed()
    {
        using var app = Start("ignore-sigterm");
        await app.WaitForLineAsync("ready");

        pc.Signal(app.Pid, Signals.SIGTERM);

        Assert.Equal("ignoring SIGTERM", await app.ReadLineAsync());
        Assert.True(pc.IsAlive(app.Pid));
        pc.Signal(app.Pid, Signals.SIGKILL);
        await app.Process.WaitForExitAsync();
        Assert.Equal(137, app.Process.ExitCode);
    }

    [Fact]
    public async Task Spawned_grandchildren_share_the_group_and_one_of_them_outlives_SIGTERM()
    {
        using var app = Start("spawn-grandchild");
        var sleeper = await app.ReadPidLineAsync("grandchild ");
        var stubborn = await app.ReadPidLineAsync("grandchild ");
        await app.WaitForLineAsync("ready");

        Assert.Superset(new HashSet<int> { app.Pid, sleeper, stubborn }, pc.GetProcessTree(app.Pid).ToHashSet());
        pc.SignalGroup(app.Pid, Signals.SIGTERM);

        Assert.True(await Poll.UntilAsync(() => !pc.IsAlive(app.Pid) && !pc.IsAlive(sleeper)));
        Assert.True(pc.IsAlive(stubborn));
        pc.SignalGroup(app.Pid, Signals.SIGKILL);
        Assert.True(await Poll.UntilAsync(() => pc.GetProcessTree(app.Pid).Count == 0));
    }

    [Fact]
    public async Task Crash_after_exits_with_the_given_code()
    {
        using var app = Start("crash-after", "50", "7");
        await app.WaitForLineAsync("ready");

        await app.Process.WaitForExitAsync();

        Assert.Equal(7, app.Process.ExitCode);
    }

    [Fact]
    public async Task Write_lines_writes_numbered_lines_of_the_given_width()
    {
        using var app = Start("write-lines", "1000", "--width", "20");

        var first = await app.ReadLineAsync();
        for (var i = 2; i < 1000; i++)
        {
            await app.ReadLineAsync();
        }

        var last = await app.ReadLineAsync();
        Assert.Equal("line 000001 xxxxxxxx", first);
        Assert.Equal("line 001000 xxxxxxxx", last);
    }

    [Fact]
    public async Task Print_env_shows_set_and_unset_variables()
    {
        var (fileName, args) = TestApp.Command("print-env", "SUP_T_SET", "SUP_T_UNSET", "--exit");
        var info = new ProcessStartInfo(fileName, args) { RedirectStandardOutput = true, Environment = { ["SUP_T_SET"] = "a=b" } };

        using var process = Process.Start(info)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.Equal("SUP_T_SET=a=b\nSUP_T_UNSET is unset\n", output);
    }

    private SpawnedProcess Start(params string[] verbArgs)
    {
        var (fileName, args) = TestApp.Command(verbArgs);
        return SpawnedProcess.Start(pc, fileName, args);
    }
}
