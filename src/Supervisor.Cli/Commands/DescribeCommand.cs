using System.CommandLine;
using System.Globalization;
using System.Text;
using Supervisor.Cli.Output;
using Supervisor.Core.Protocol;
using Supervisor.Core.Scheduling;

namespace Supervisor.Cli.Commands;

/// <summary>`sup describe NAME`: config (and where each value came from), paths, env (secrets masked), restarts, runs, state changes.</summary>
public static class DescribeCommand
{
    public static Command Create()
    {
        var name = new Argument<string>("name") { Description = "App name." };
        var secrets = new Option<bool>("--show-secrets") { Description = "Show values of env keys that look secret (*TOKEN*, *SECRET*, *PASSWORD*, *KEY*)." };
        var json = new Option<bool>("--json") { Description = "Print JSON." };
        var command = new Command("describe", "Show everything known about one app.") { name, secrets, json };
        command.Aliases.Add("show");
        command.SetAction(async (parse, ct) =>
        {
            var reply = await DaemonCall.InvokeAsync(d => d.DescribeAsync(parse.GetValue(name)!, parse.GetValue(secrets), ct), ct);
            if (parse.GetValue(json)) Json.Print(reply, Json.Contract.AppDetail);
            else Console.Write(Render(reply, DateTimeOffset.Now, parse.GetValue(secrets)));
            return ExitCodes.Ok;
        });
        return command;
    }

    public static string Render(AppDetail d, DateTimeOffset now, bool secretsShown)
    {
        var a = d.App;
        var text = new StringBuilder();
        void Heading(string title) => text.Append('\n').Append(Terminal.Dim(title)).Append('\n');
        void Row(string key, string value) => text.Append("  ").Append(key.PadRight(26)).Append(' ').Append(value).Append('\n');

        text.Append($"{a.Name} ({a.Kind}) {a.Status}{(a.Reason is null ? "" : " - " + a.Reason)}\n");
        Row("pid", a.Pid?.ToString(CultureInfo.InvariantCulture) ?? "-");
        Row("uptime", a.UptimeMs is long up ? Human.Uptime(up) : "-");
        Row("cpu", a.Cpu is double cpu ? $"{cpu:0.#}%" : "-");
        Row("memory", a.Memory is long mem ? Human.Bytes(mem) + " (whole process tree)" : "-");
        if (a.LogLinesDropped > 0) Row("log lines dropped", $"{a.LogLinesDropped.ToString(CultureInfo.InvariantCulture)} (could not be written; see daemon.log)");
        if (a.Kind == "service")
        {
            Row("restarts", a.Restarts.ToString(CultureInfo.InvariantCulture));
            Row("fast crashes", a.FastCrashes.ToString(CultureInfo.InvariantCulture));
            if (d.BackoffMs is long backoff)
                Row("backoff", $"{HumanTime.Duration(TimeSpan.FromMilliseconds(backoff))} ({Human.Uptime(a.WaitingMs ?? 0)} left)");
            Row("next fast crash", d.NextBackoffMs is long next ? $"restart after {HumanTime.Duration(TimeSpan.FromMilliseconds(next))}"
                : d.Config.GetValueOrDefault("autorestart") == "false" ? "no restart (autorestart is off)" : "errored (max_restarts reached)");
        }
        else
        {
            Row("enabled", a.Enabled is false ? "no" : "yes");
            Row("last run", a.LastRun is null ? "never" : $"{Human.Relative(a.LastRun, now)}, {a.LastResult}");
        }

        Heading("paths");
        Row("command", d.Command);
        Row("cwd", d.Cwd);
        Row("source", d.SourceFile ?? "(command line)");
        Row("out log", d.OutLog);
        Row("err log", d.ErrLog);
        Row("pid file", d.PidFile);

        Heading("config (value, then where it came from: file, cli or default)");
        var valueWidth = Math.Min(48, d.Config.Values.Max(v => Shown(v).Length));
        foreach (var (key, value) in d.Config.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            Row(key, $"{Shown(value).PadRight(valueWidth)}  {Terminal.Dim(d.ConfigSources.GetValueOrDefault(key, "default"))}");

        if (d.Env.Count > 0)
        {
            Heading(secretsShown ? "env" : "env (secret-looking values masked; --show-secrets shows them)");
            foreach (var (key, value) in d.Env.OrderBy(kv => kv.Key, StringComparer.Ordinal)) Row(key, value);
        }

        if (d.NextRuns.Count > 0)
        {
            Heading(d.Config.ContainsKey("jitter") ? "next runs (later ones move by their own jitter)" : "next runs");
            foreach (var next in d.NextRuns) text.Append("  ").Append(LocalTime(next, now, withRelative: true)).Append('\n');
        }

        if (d.LastRuns.Count > 0)
        {
            Heading("last runs");
            foreach (var r in d.LastRuns)
            {
                var duration = r.DurationMs is long ms ? HumanTime.Duration(TimeSpan.FromMilliseconds(ms)) : "-";
                text.Append($"  {LocalTime(r.Start, now)}  {r.Trigger,-7} {duration,8}  exit {r.ExitCode?.ToString(CultureInfo.InvariantCulture) ?? "-",-4} {r.Result}\n");
            }
        }

        if (d.History.Count > 0)
        {
            Heading("state changes");
            foreach (var h in d.History) text.Append($"  {LocalTime(h.At, now)}  {h.From} -> {h.To}  {h.Reason}\n");
        }
        return text.ToString();
    }

    private static string Shown(string value) => value.Length == 0 ? "(none)" : value;

    /// <summary>A wire timestamp in this machine's zone, as people read it; the ISO text if it does not parse.</summary>
    private static string LocalTime(string iso, DateTimeOffset now, bool withRelative = false)
    {
        if (!DateTimeOffset.TryParse(iso, CultureInfo.InvariantCulture, out var at)) return iso;
        return withRelative
            ? HumanTime.Describe(at, TimeZoneInfo.Local, now)
            : at.ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
    }
}
