using System.CommandLine;
using System.Globalization;
using System.Text;
using Supervisor.Core.Protocol;

namespace Supervisor.Cli.Commands;

/// <summary>`sup health [--json]`: the health document; exit 1 when any app is errored or unhealthy, for monitoring checks.</summary>
public static class HealthCommand
{
    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "Print the health document as JSON (fields in docs/rpc.md)." };
        var command = new Command("health", "Is everything up? Counts by status, next and last job run, uptime, success rate. Exits 1 when anything is errored or unhealthy.") { json };
        command.SetAction(async (parse, ct) =>
        {
            var report = await DaemonCall.InvokeAsync(d => d.HealthAsync(ct), ct);
            if (parse.GetValue(json)) Json.Print(report, Json.Contract.HealthReport);
            else Console.Write(Render(report));
            return report.Healthy ? ExitCodes.Ok : ExitCodes.Failed;
        });
        return command;
    }

    public static string Render(HealthReport r)
    {
        var sb = new StringBuilder();
        sb.Append(r.Healthy ? "healthy" : "UNHEALTHY").Append(": ")
          .Append(r.Counts.Count == 0 ? "no apps" : string.Join(", ", r.Counts.Select(c => $"{c.Value} {c.Key}")))
          .Append(CultureInfo.InvariantCulture, $"; daemon up {Core.Scheduling.HumanTime.Duration(TimeSpan.FromMilliseconds(r.UptimeMs))}\n");
        foreach (var problem in r.Problems) sb.Append("  ✗ ").Append(problem).Append('\n');
        if (r.NextJob is { } next) sb.Append(CultureInfo.InvariantCulture, $"next job: {next.Name} in {Core.Scheduling.HumanTime.Duration(TimeSpan.FromSeconds(next.InSeconds))} ({next.At})\n");
        if (r.LastExecution is { } last) sb.Append(CultureInfo.InvariantCulture, $"last run: {last.Job} at {last.At}: {last.Result}\n");
        var rate = r.Totals.SuccessRate is double s ? (s * 100).ToString("0.#", CultureInfo.InvariantCulture) + "%" : "-";
        sb.Append(CultureInfo.InvariantCulture, $"totals: {r.Totals.Services} services, {r.Totals.Jobs} jobs, {r.Totals.Restarts} restarts, {r.Totals.Runs} runs, {r.Totals.Failures} failed, success rate {rate}\n");
        return sb.ToString();
    }
}
