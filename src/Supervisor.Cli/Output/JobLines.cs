using System.Globalization;
using System.Text;
using Supervisor.Core.Protocol;
using Supervisor.Core.Scheduling;

namespace Supervisor.Cli.Output;

/// <summary>
/// The human `sup jobs`: one line per job, as the background-task runners our users replace print
/// their status — <c>✓ heartbeat: ran 2m ago, next in 3m (42 runs)</c>, and for a job whose last
/// run failed <c>✗ news_scan: ran 1h ago, next in 5h (12 runs). Last error: &lt;first stderr line&gt;</c>.
/// The table is `sup jobs --wide`.
/// </summary>
public static class JobLines
{
    public static string Render(IReadOnlyList<JobRow> jobs, DateTimeOffset now, bool unicode)
    {
        if (jobs.Count == 0) return "No jobs. A job is an app with `cron`, `every` or `on_file`.\n";
        var sb = new StringBuilder();
        foreach (var job in jobs) sb.Append(Line(job, now, unicode)).Append('\n');
        return sb.ToString();
    }

    public static string Line(JobRow j, DateTimeOffset now, bool unicode)
    {
        var failed = j.LastError is not null;
        var mark = failed ? (unicode ? "✗" : "x") : (unicode ? "✓" : "+");
        var parts = new List<string> { LastRun(j, now) };
        if (Next(j, now) is { } next) parts.Add(next);
        var runs = j.RunCount == 1 ? "1 run" : j.RunCount.ToString(CultureInfo.InvariantCulture) + " runs";
        var text = $"{j.Name}: {string.Join(", ", parts)} ({runs})";
        if (failed) text += ". Last error: " + (j.LastErrorOutput ?? j.LastError);
        return (failed ? Terminal.Red(mark) : Terminal.Green(mark)) + " " + text;
    }

    private static string LastRun(JobRow j, DateTimeOffset now)
    {
        if (j.LastRun is not { } text || !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, out var at)) return "never ran";
        if (j.Status == "running") return $"running for {HumanTime.Duration(now - at)}";
        var ago = HumanTime.Relative(at - now);
        return ago == "now" ? "ran just now" : "ran " + ago;
    }

    /// <summary>What comes next: "next in 3m", or why nothing is coming (paused, disabled, stopped, errored).</summary>
    private static string? Next(JobRow j, DateTimeOffset now)
    {
        if (j.Paused && j.Status is "paused" or "running") return "paused";
        if (j.Status is "paused" or "disabled" or "stopped" or "errored") return j.Status;
        if (j.NextRun is { } iso && DateTimeOffset.TryParse(iso, CultureInfo.InvariantCulture, out var at))
        {
            var rel = HumanTime.Relative(at - now);
            return rel == "now" ? "next now" : "next " + rel;
        }
        return j.Schedule.StartsWith("on_file", StringComparison.Ordinal) ? "waits for files" : null;
    }
}
