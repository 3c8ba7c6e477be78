using Xunit;
using Supervisor.Cli.Output;
using Supervisor.Core.Protocol;

namespace Supervisor.Tests.Cli;

/// <summary>The plain `sup ls` table: what a pipe, a file or NO_COLOR gets.</summary>
public sealed class AppTableTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 9, 12, 0, 0, TimeSpan.Zero);

    private static AppInfo Service(string name, string status = "online", int? pid = 100, long? uptimeMs = 11_520_000,
        int restarts = 0, double? cpu = 1.5, long? memory = 13_002_342, string? reason = null) =>
        new() { Name = name, Kind = "service", Status = status, Pid = pid, UptimeMs = uptimeMs, Restarts = restarts, Cpu = cpu, Memory = memory, Reason = reason };

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    private static string[] Cells(string line) => line.Split("  ", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    [Fact]
    public void A_service_row_shows_every_column_in_human_form()
    {
        var text = AppTable.RenderPlain([Service("gmail-watcher", restarts: 2)], Now);

        var lines = Lines(text);
        Assert.Equal(["name", "kind", "status", "pid", "uptime", "restarts", "cpu", "memory"], Cells(lines[0]));
        Assert.Equal(["gmail-watcher", "service", "online", "100", "3h 12m", "2", "1.5%", "12.4 MB"], Cells(lines[1]));
    }

    [Fact]
    public void Plain_text_has_no_colour_codes_and_no_box_drawing()
    {
        var text = AppTable.RenderPlain([Service("a"), Service("b", status: "errored", pid: null, reason: "5 fast crashes, last exit code 1")], Now);

        Assert.DoesNotContain('\e', text);
        Assert.DoesNotContain("│", text);
        Assert.DoesNotContain("─", text);
    }

    [Fact]
    public void Columns_line_up_whatever_the_width_of_the_values()
    {
        var text = AppTable.RenderPlain([Service("a-rather-long-name"), Service("b", pid: 123456)], Now);

        var lines = Lines(text);
        var statusAt = lines[0].IndexOf("status", StringComparison.Ordinal);
        Assert.All(lines.Skip(1), line => Assert.Equal("online", line.Substring(statusAt, 6)));
    }

    [Fact]
    public void An_errored_app_shows_its_reason_in_one_short_column()
    {
        var text = AppTable.RenderPlain(
            [Service("ok"), Service("crasher", status: "errored", pid: null, uptimeMs: null, cpu: null, memory: null, reason: "5 fast crashes, last exit code 1")],
            Now);

        var lines = Lines(text);
        Assert.EndsWith("reason", lines[0]);
        Assert.Equal(["crasher", "service", "errored", "-", "-", "0", "-", "-", "5 fast crashes, last exit 1"], Cells(lines[2]));
        Assert.Equal(8, Cells(lines[1]).Length); // an online app has no reason to show
    }

    [Fact]
    public void The_reason_column_is_left_out_when_nothing_is_errored()
    {
        var text = AppTable.RenderPlain([Service("a", reason: "pid 100")], Now);

        Assert.DoesNotContain("reason", text);
        Assert.DoesNotContain("pid 100", text);
    }

    [Fact]
    public void A_job_shows_when_it_runs_next_and_how_its_last_run_ended()
    {
        var job = new AppInfo
        {
            Name = "briefing", Kind = "job", Status = "scheduled",
            NextRun = Now.AddMinutes(3).AddSeconds(20).ToString("O"), LastResult = "ok",
        };

        var lines = Lines(AppTable.RenderPlain([Service("svc"), job], Now));

        Assert.Equal(["name", "kind", "status", "pid", "uptime", "restarts", "cpu", "memory", "next run", "last"], Cells(lines[0]));
        Assert.Equal(["briefing", "job", "scheduled", "-", "-", "0", "-", "-", "in 3m", "ok"], Cells(lines[2]));
        Assert.Equal(["-", "-"], Cells(lines[1])[^2..]);
    }

    [Fact]
    public void A_waiting_service_shows_the_backoff_left()
    {
        var lines = Lines(AppTable.RenderPlain([Service("w", status: "waiting", pid: null) with { WaitingMs = 9_400 }], Now));

        Assert.Contains("waiting 9s", lines[1]);
    }

    [Fact]
    public void Apps_with_ids_show_pm2s_id_column_first()
    {
        var lines = Lines(AppTable.RenderPlain([Service("web") with { Id = 0 }, Service("api") with { Id = 3 }], Now));

        Assert.Equal(["id", "name", "kind", "status"], Cells(lines[0])[..4]);
        Assert.Equal(["0", "web"], Cells(lines[1])[..2]);
        Assert.Equal(["3", "api"], Cells(lines[2])[..2]);
    }

    [Fact]
    public void No_apps_says_how_to_start_some()
    {
        Assert.Contains("sup start", AppTable.RenderPlain([], Now));
    }
}

/// <summary>How a warning reads on stderr.</summary>
public sealed class WarningTextTests
{
    [Fact]
    public void A_config_warning_says_warning_once_and_anything_else_gets_the_word()
    {
        Assert.Equal("/a/ecosystem.yaml:4:5: warning: vizion is ...", WarningText.Line("/a/ecosystem.yaml:4:5: warning: vizion is ..."));
        Assert.Equal("warning: state.json could not be written", WarningText.Line("state.json could not be written"));
    }
}
