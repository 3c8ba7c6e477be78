using System.CommandLine;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Supervisor.Cli.Output;
using Supervisor.Core.Protocol;
using Supervisor.Core.Scheduling;

namespace Supervisor.Cli.Commands;

/// <summary>`sup jobs`, `sup run JOB`, `sup enable/disable JOB`, `sup history [JOB]`.</summary>
public static class JobCommands
{
    public static Command Jobs()
    {
        var json = new Option<bool>("--json") { Description = "Print JSON." };
        var command = new Command("jobs", "Jobs with last run, next run and run count.") { json };
        command.SetAction(async (parse, ct) =>
        {
            var reply = await DaemonCall.InvokeAsync("jobs", null, ct);
            if (parse.GetValue(json)) Console.WriteLine(reply.GetRawText());
            else Console.Write(RenderJobs(reply.Deserialize(ProtocolJson.Default.JobRowArray) ?? []));
            return ExitCodes.Ok;
        });
        return command;
    }

    public static Command Run()
    {
        var name = new Argument<string>("job") { Description = "Job name." };
        var command = new Command("run", "Run a job now (trigger: manual).") { name };
        command.SetAction(async (parse, ct) =>
        {
            await DaemonCall.InvokeAsync("run", new JsonObject { ["name"] = parse.GetValue(name) }, ct);
            Console.WriteLine($"started  {parse.GetValue(name)} (`sup logs {parse.GetValue(name)}` follows it)");
            return ExitCodes.Ok;
        });
        return command;
    }

    public static Command Toggle(bool enable)
    {
        var name = new Argument<string>("job") { Description = "Job name, or `all`." };
        var verb = enable ? "enable" : "disable";
        var command = new Command(verb, enable ? "Turn a job's schedule on (persisted)." : "Turn a job's schedule off (persisted).") { name };
        command.SetAction(async (parse, ct) =>
        {
            var reply = await DaemonCall.InvokeAsync(verb, new JsonObject { ["name"] = parse.GetValue(name) }, ct);
            foreach (var job in reply.Deserialize(ProtocolJson.Default.JobRowArray) ?? [])
                Console.WriteLine($"{verb}d  {job.Name}");
            return ExitCodes.Ok;
        });
        return command;
    }

    public static Command History()
    {
        var name = new Argument<string?>("job") { Description = "Job name (default: all jobs).", Arity = ArgumentArity.ZeroOrOne };
        var limit = new Option<int>("--limit") { Description = "How many runs.", DefaultValueFactory = _ => 20 };
        var json = new Option<bool>("--json") { Description = "Print JSON." };
        var command = new Command("history", "Past runs: start, end, duration, exit code, trigger.") { name, limit, json };
        command.SetAction(async (parse, ct) =>
        {
            var reply = await DaemonCall.InvokeAsync("history",
                new JsonObject { ["name"] = parse.GetValue(name), ["limit"] = parse.GetValue(limit) }, ct);
            if (parse.GetValue(json)) { Console.WriteLine(reply.GetRawText()); return ExitCodes.Ok; }
            var runs = reply.Deserialize(ProtocolJson.Default.JobRunInfoArray) ?? [];
            if (runs.Length == 0) { Console.WriteLine("No runs yet."); return ExitCodes.Ok; }
            foreach (var r in runs)
            {
                var start = DateTimeOffset.Parse(r.Start).ToLocalTime();
                var duration = r.DurationMs is long ms ? HumanTime.Duration(TimeSpan.FromMilliseconds(ms)) : "-";
                var file = r.File is null ? "" : "  " + Path.GetFileName(r.File);
                Console.WriteLine($"{start:yyyy-MM-dd HH:mm:ss}  {r.Job,-20} {r.Trigger,-7} {duration,8}  exit {r.ExitCode?.ToString() ?? "-",-4} {r.Result}{file}");
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    private static string RenderJobs(JobRow[] jobs)
    {
        if (jobs.Length == 0) return "No jobs. A job is an app with `cron`, `every` or `on_file`.\n";
        var now = DateTimeOffset.Now;
        var sb = new StringBuilder();
        sb.Append(Terminal.Dim($"{"name",-20} {"schedule",-32} {"status",-10} {"last run",-28} {"next run",-14} runs")).Append('\n');
        foreach (var j in jobs)
        {
            var last = j.LastRun is { } l && DateTimeOffset.TryParse(l, out var at)
                ? $"ran {HumanTime.Relative(at - now)}, {j.LastResult}{(j.LastDurationMs is long d ? ", " + HumanTime.Duration(TimeSpan.FromMilliseconds(d)) : "")}"
                : "never";
            var next = Human.Relative(j.NextRun, now);
            sb.Append($"{j.Name,-20} {j.Schedule,-32} {(j.Enabled ? j.Status : "disabled"),-10} {last,-28} {next,-14} {j.RunCount}");
            if (j.LastError is { } e) sb.Append("  ").Append(Terminal.Red(e));
            sb.Append('\n');
        }
        return sb.ToString();
    }
}
