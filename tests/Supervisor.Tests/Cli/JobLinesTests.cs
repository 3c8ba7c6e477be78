using Supervisor.Cli.Output;
using Supervisor.Core.Protocol;
using Xunit;

namespace Supervisor.Tests.Cli;

/// <summary>The human `sup jobs`: one line per job, the background-task runner's status form.</summary>
public sealed class JobLinesTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);

    private static JobRow Row(string name, string status = "scheduled", TimeSpan? ranAgo = null, TimeSpan? nextIn = null, int runs = 0) => new()
    {
        Name = name,
        Schedule = "every 5m",
        Status = status,
        Enabled = true,
        LastRun = ranAgo is { } ago ? (Now - ago).ToString("O") : null,
        NextRun = nextIn is { } next ? (Now + next).ToString("O") : null,
        RunCount = runs,
    };

    [Fact]
    public void A_healthy_job_reads_when_it_ran_when_it_runs_next_and_how_often_it_ran()
    {
        Assert.Equal("✓ heartbeat: ran 2m ago, next in 3m (42 runs)",
            JobLines.Line(Row("heartbeat", ranAgo: TimeSpan.FromMinutes(2), nextIn: TimeSpan.FromMinutes(3), runs: 42), Now, unicode: true));
    }

    [Fact]
    public void A_failed_job_says_the_first_stderr_line_of_its_last_run()
    {
        var row = Row("news_scan", ranAgo: TimeSpan.FromHours(1), nextIn: TimeSpan.FromHours(5), runs: 12) with
        {
            LastError = "run failed with exit code 2",
            LastErrorOutput = "feed timed out",
        };

        Assert.Equal("✗ news_scan: ran 1h ago, next in 5h (12 runs). Last error: feed timed out", JobLines.Line(row, Now, unicode: true));
        Assert.Equal("x news_scan: ran 1h ago, next in 5h (12 runs). Last error: run failed with exit code 2",
            JobLines.Line(row with { LastErrorOutput = null }, Now, unicode: false));
    }

    [Theory]
    [InlineData("paused", true, "✓ tick: ran 2m ago, paused (1 run)")]
    [InlineData("disabled", false, "✓ tick: ran 2m ago, disabled (1 run)")]
    [InlineData("stopped", false, "✓ tick: ran 2m ago, stopped (1 run)")]
    public void A_job_not_armed_says_why_instead_of_a_next_run(string status, bool paused, string expected)
    {
        var row = Row("tick", status, ranAgo: TimeSpan.FromMinutes(2), runs: 1) with { Paused = paused };

        Assert.Equal(expected, JobLines.Line(row, Now, unicode: true));
    }

    [Fact]
    public void A_job_that_never_ran_and_a_running_one_say_so()
    {
        Assert.Equal("✓ fresh: never ran, next in 5m (0 runs)", JobLines.Line(Row("fresh", nextIn: TimeSpan.FromMinutes(5)), Now, unicode: true));
        Assert.Equal("✓ busy: running for 12s, next in 4m (3 runs)",
            JobLines.Line(Row("busy", "running", ranAgo: TimeSpan.FromSeconds(12), nextIn: TimeSpan.FromMinutes(4), runs: 3), Now, unicode: true));
    }
}
