using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Supervisor.Core.Startup;
using Supervisor.Tests.TestSupport;
using Xunit;

namespace Supervisor.Tests.Startup;

/// <summary>The runner behind `sup startup`'s systemctl / launchctl / schtasks calls, with real programs.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class ProcessCommandRunnerTests
{
    private sealed class CapturingLogger : ILogger
    {
        public List<string> Lines { get; } = [];
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Lines.Add($"{logLevel}: {formatter(state, exception)}");
    }

    [Fact(Timeout = 30_000)]
    public async Task A_command_that_fails_returns_its_exit_code_and_output_and_logs_them()
    {
        var logger = new CapturingLogger();

        var result = await new ProcessCommandRunner(logger).RunAsync(
            StartupCommand.Of("/bin/sh", "-c", "echo 'to stdout'; echo 'Failed to connect to bus' >&2; exit 3"), CancellationToken.None);

        Assert.Equal(new CommandResult(3, "to stdout\n", "Failed to connect to bus\n"), result);
        Assert.Equal("Failed to connect to bus", result.FirstLine);
        var line = Assert.Single(logger.Lines);
        Assert.StartsWith("Warning: `/bin/sh -c", line);
        Assert.Contains("exit code 3", line);
        Assert.Contains("to stdout", line);
        Assert.Contains("Failed to connect to bus", line);
    }

    [Fact(Timeout = 30_000)]
    public async Task A_command_that_succeeds_logs_nothing()
    {
        var logger = new CapturingLogger();

        var result = await new ProcessCommandRunner(logger).RunAsync(StartupCommand.Of("/bin/echo", "enabled"), CancellationToken.None);

        Assert.Equal(new CommandResult(0, "enabled\n", ""), result);
        Assert.Empty(logger.Lines);
    }

    [Fact(Timeout = 30_000)]
    public async Task A_program_that_is_not_installed_is_exit_code_127_with_a_reason()
    {
        var result = await new ProcessCommandRunner().RunAsync(StartupCommand.Of("sup-no-such-systemctl", "enable"), CancellationToken.None);

        Assert.Equal(ProcessCommandRunner.NotFound, result.ExitCode);
        Assert.StartsWith("sup-no-such-systemctl could not be run", result.FirstLine);
    }

    [Fact(Timeout = 30_000)]
    public async Task A_command_that_hangs_is_stopped_at_the_timeout_and_is_really_gone()
    {
        var pidFile = Path.Combine("/tmp", "sup-t-" + Guid.NewGuid().ToString("N")[..8] + ".pid");
        var clock = Stopwatch.StartNew();

        var result = await new ProcessCommandRunner(timeout: TimeSpan.FromMilliseconds(500)).RunAsync(
            StartupCommand.Of("/bin/sh", "-c", $"echo $$ > '{pidFile}'; exec sleep 60"), CancellationToken.None);

        Assert.Equal(ProcessCommandRunner.TimedOut, result.ExitCode);
        Assert.Contains("did not finish within 0.5 s", result.FirstLine);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"took {clock.Elapsed}");
        var pid = int.Parse(File.ReadAllText(pidFile).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        File.Delete(pidFile);
        Assert.True(await Eventually.TrueAsync(() => Task.FromResult(!Processes.IsAlive(pid)), TimeSpan.FromSeconds(10)), $"pid {pid} still alive");
    }
}
