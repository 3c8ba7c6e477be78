using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Supervisor.Cli.Output;
using Supervisor.Core;
using Supervisor.Core.Protocol;
using Supervisor.Core.Scheduling;

namespace Supervisor.Cli.Commands;

/// <summary>`sup jobs`, `sup run JOB`, `sup enable/disable JOB`, `sup history [JOB]`.</summary>
public static class JobCommands
{
    private static readonly string[] Headers = ["name", "schedule", "status", "enabled", "last run", "next run", "runs", "last error"];

    public static Command Jobs()
    {
        var json = new Option<bool>("--json") { Description = "Print a JSON array (fields documented in docs/jobs.md)." };
        var wide = new Option<bool>("--wide", "-w") { Description = "Print the table: schedule, status, enabled, last run with result and duration, next run, counts, last error." };
        var command = new Command("jobs", "One line per job: when it ran, when it runs next, how many runs, and the last error.") { json, wide };
        command.SetAction(async (parse, ct) =>
        {
            var reply = await DaemonCall.InvokeAsync(d => d.JobsAsync(ct), ct);
            if (parse.GetValue(json)) Json.Print(reply, Json.Contract.JobRowArray);
            else if (parse.GetValue(wide)) Console.Write(RenderJobs(reply, DateTimeOffset.Now));
            else Console.Write(JobLines.Render(reply, DateTimeOffset.Now, Terminal.Unicode));
            return ExitCodes.Ok;
        });
        return command;
    }

    public static Command Run()
    {
        var name = new Argument<string>("job") { Description = "Job name." };
        var command = new Command("run", "Run a job now (trigger: manual), even when disabled or stopped.") { name };
        command.SetAction(async (parse, ct) =>
        {
            var job = parse.GetValue(name)!;
            await DaemonCall.InvokeAsync(d => d.RunAsync(job, ct), ct);
            Console.WriteLine($"started  {job} (`sup logs {job}` follows it, `sup history {job}` shows the result)");
            return ExitCodes.Ok;
        });
        return command;
    }

    public static Command Toggle(bool enable)
    {
        var name = new Argument<string>("job") { Description = "Job name, or `all`." };
        var verb = enable ? "enable" : "disable";
        var command = new Command(verb, enable
            ? "Turn a job's schedule on (persisted across daemon restarts)."
            : "Turn a job's schedule off (persisted across daemon restarts); `sup run` still runs it.") { name };
        command.SetAction(async (parse, ct) =>
        {
            var job = parse.GetValue(name)!;
            var reply = await DaemonCall.InvokeAsync(d => enable ? d.EnableAsync(job, ct) : d.DisableAsync(job, ct), ct);
            foreach (var row in reply)
                Console.WriteLine($"{verb}d  {row.Name}");
            return ExitCodes.Ok;
        });
        return command;
    }

    public static Command History()
    {
        var name = new Argument<string?>("job") { Description = "Job name (default: all jobs).", Arity = ArgumentArity.ZeroOrOne };
        var limit = new Option<int>("--limit") { Description = "How many runs, newest last (1-1000).", DefaultValueFactory = _ => 20 };
        var json = new Option<bool>("--json") { Description = "Print a JSON array." };
        var command = new Command("history", "Past runs: start, end, duration, exit code, trigger, result.") { name, limit, json };
        command.SetAction(async (parse, ct) =>
        {
            var count = parse.GetValue(limit);
            if (count is < 1 or > 1000)
                throw new SupException(SupError.BadArgument, $"--limit {count} is out of range; give a number of runs from 1 to 1000.");
            var reply = await DaemonCall.InvokeAsync(d => d.HistoryAsync(parse.GetValue(name), count, ct), ct);
            if (parse.GetValue(json)) Json.Print(reply, Json.Contract.JobRunInfoArray);
            else Console.Write(RenderHistory(reply));
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>The `sup jobs` table: "ran 2m 5s ago, ok, 3.1s", "in 3m", "12, 1 failed, 2 skipped".</summary>
    public static string RenderJobs(IReadOnlyList<JobRow> jobs, DateTimeOffset now)
    {
        if (jobs.Count == 0) return "No jobs. A job is an app with `cron`, `every` or `on_file`.\n";
        var rows = jobs.Select(j => Row(j, now)).ToList();
        var widths = Headers.Select((h, i) => Math.Max(h.Length, rows.Max(r => r[i].Length))).ToArray();
        var sb = new StringBuilder();
        AppendRow(sb, Headers, widths, j: null);
        foreach (var (row, job) in rows.Zip(jobs)) AppendRow(sb, row, widths, job);
        return sb.ToString();
    }

    private static string[] Row(JobRow j, DateTimeOffset now) =>
    [
        j.Name,
        j.Schedule,
        j.Status,
        j.Enabled ? "yes" : "no",
        LastRun(j, now),
        Human.Relative(j.NextRun, now),
        Runs(j),
        j.LastError ?? "",
    ];

    private static string LastRun(JobRow j, DateTimeOffset now)
    {
        if (j.LastRun is not { } text || !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, out var at)) return "never";
        if (j.Status == "running") return $"running for {HumanTime.Duration(now - at)}";
        var result = j.LastResult switch
        {
            "ok" => "ok",
            "stopped" => "stopped",
            null => "?",
            _ => "failed",
        };
        var duration = j.LastDurationMs is long ms ? ", " + Seconds(ms) : "";
        return $"ran {HumanTime.Relative(at - now)}, {result}{duration}";
    }

    private static string Seconds(long milliseconds) =>
        (milliseconds / 1000.0).ToString("0.0", CultureInfo.InvariantCulture) + "s";

    private static string Runs(JobRow j)
    {
        var text = j.RunCount.ToString(CultureInfo.InvariantCulture);
        if (j.FailureCount > 0) text += $", {j.FailureCount} failed";
        if (j.SkippedCount > 0) text += $", {j.SkippedCount} skipped";
        return text;
    }

    private static void AppendRow(StringBuilder sb, string[] cells, int[] widths, JobRow? j)
    {
        for (var i = 0; i < cells.Length; i++)
        {
            var last = i == cells.Length - 1;
            var cell = last ? cells[i] : cells[i].PadRight(widths[i]);
            if (j is null) cell = Terminal.Dim(cell);
            else if (i == 2) cell = j.Status switch
            {
                "running" or "scheduled" => Terminal.Green(cell),
                "errored" or "stopped" => Terminal.Red(cell),
                _ => Terminal.Yellow(cell),
            };
            else if (last && cells[i].Length > 0) cell = Terminal.Red(cell);
            sb.Append(cell);
            if (!last) sb.Append("  ");
        }
        // No trailing blanks when the last column is empty.
        while (sb.Length > 0 && sb[^1] == ' ') sb.Length--;
        sb.Append('\n');
    }

    /// <summary>One line per attempt, oldest first, in the machine's local time.</summary>
    public static string RenderHistory(IReadOnlyList<JobRunInfo> runs)
    {
        if (runs.Count == 0) return "No runs yet.\n";
        var sb = new StringBuilder();
        // The run id (SUP_RUN_ID) ties a row to its lines in `sup logs` ("--- sup run ID ..."); its retries share it.
        var idWidth = Math.Max("run id".Length, runs.Max(r => r.RunId?.Length ?? 1));
        sb.Append(Terminal.Dim($"{"start",-19}  {"end",-8}  {"job",-20}  {"trigger",-7}  {"duration",8}  {"exit",4}  {"run id".PadRight(idWidth)}  result")).Append('\n');
        foreach (var r in runs)
        {
            var start = DateTimeOffset.Parse(r.Start, CultureInfo.InvariantCulture).ToLocalTime();
            var end = r.End is { } e && DateTimeOffset.TryParse(e, CultureInfo.InvariantCulture, out var endAt)
                ? endAt.ToLocalTime().ToString("HH:mm:ss", CultureInfo.InvariantCulture) : "-";
            var duration = r.DurationMs is long ms ? Seconds(ms) : "-";
            var result = r.Result ?? "";
            if (r.Attempt > 1) result += $" (attempt {r.Attempt})";
            if (r.File is { } file) result += "  " + Path.GetFileName(file);
            sb.Append(CultureInfo.InvariantCulture,
                $"{start:yyyy-MM-dd HH:mm:ss}  {end,-8}  {r.Job,-20}  {r.Trigger,-7}  {duration,8}  {r.ExitCode?.ToString(CultureInfo.InvariantCulture) ?? "-",4}  {(r.RunId ?? "-").PadRight(idWidth)}  {result}").Append('\n');
        }
        return sb.ToString();
    }
}
