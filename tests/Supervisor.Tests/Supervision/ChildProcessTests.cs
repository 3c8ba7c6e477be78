using Supervisor.Core;
using Supervisor.Core.Config;
using Supervisor.Core.Logs;
using Supervisor.Core.Platform;
using Supervisor.Core.Supervision;
using Xunit;

namespace Supervisor.Tests.Supervision;

/// <summary>
/// One child as the supervisor starts it on this machine (posix_spawn in a new session on Linux):
/// what it runs with, and the exit it reports.
/// </summary>
public sealed class ChildProcessTests : IAsyncLifetime
{
    private readonly string _home = Path.Combine("/tmp", "sup-t-" + Guid.NewGuid().ToString("N")[..8]);
    private AppLogs? _logs;

    public Task InitializeAsync()
    {
        Directory.CreateDirectory(_home);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        if (_logs is not null) await _logs.DisposeAsync();
        Directory.Delete(_home, recursive: true);
    }

    private ChildProcess Start(string shellCommand, IReadOnlyDictionary<string, string>? env = null, string? cwd = null)
    {
        var spec = new AppSpec { Name = "child", FileName = "/bin/sh", Arguments = ["-c", shellCommand], Cwd = _home };
        _logs = AppLogs.Open(spec, _home, TimeProvider.System);
        var command = new ChildCommand("sh", ["-c", shellCommand], cwd ?? _home, env ?? new Dictionary<string, string>());
        return ChildProcess.Start(command, _logs, ProcessControl.Current, TimeProvider.System);
    }

    private async Task<string> OutputAsync(ChildProcess child)
    {
        await child.OutputClosed.WaitAsync(TimeSpan.FromSeconds(15));
        await _logs!.DisposeAsync();
        var text = await File.ReadAllTextAsync(Path.Combine(_home, "logs", "child-out.log"));
        _logs = null;
        return text;
    }

    [Fact]
    public async Task It_runs_in_the_given_folder_with_the_apps_variables_over_the_daemons()
    {
        var child = Start("pwd; echo \"$SUP_TEST_VAR\"; [ -n \"$PATH\" ] && echo has-path; read line || echo stdin-at-eof",
            new Dictionary<string, string> { ["SUP_TEST_VAR"] = "from the app" });

        var exit = await child.Exited.WaitAsync(TimeSpan.FromSeconds(15));

        Assert.Equal(0, exit.ExitCode);
        Assert.Equal($"{_home}\nfrom the app\nhas-path\nstdin-at-eof\n", await OutputAsync(child));
    }

    [Fact]
    public async Task It_leads_its_own_session_and_process_group()
    {
        var child = Start("ps -o sid= -o pgid= -p $$ | tr -s ' ' | sed 's/^ //'");

        await child.Exited.WaitAsync(TimeSpan.FromSeconds(15));

        Assert.Equal($"{child.Pid} {child.Pid}\n", await OutputAsync(child));
    }

    [Fact]
    public async Task Its_exit_code_is_reported()
    {
        var child = Start("exit 3");

        var exit = await child.Exited.WaitAsync(TimeSpan.FromSeconds(15));

        Assert.Equal(3, exit.ExitCode);
    }

    [Fact]
    public async Task A_death_by_signal_is_reported_as_128_plus_the_signal()
    {
        var child = Start("exec sleep 300");

        Assert.True(child.Signal(ProcessControl.Current, Signals.SIGTERM));
        var exit = await child.Exited.WaitAsync(TimeSpan.FromSeconds(15));

        Assert.Equal(128 + Signals.SIGTERM, exit.ExitCode);
        Assert.False(ProcessControl.Current.IsAlive(child.Pid));
    }

    [Fact]
    public void A_program_that_cannot_be_started_is_a_clear_error()
    {
        var error = Assert.Throws<SupException>(() => Start("true", cwd: Path.Combine(_home, "no-such-folder")));

        Assert.Equal("Could not start 'sh': No such file or directory.", error.Message);
    }
}
