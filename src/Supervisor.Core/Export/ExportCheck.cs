using Supervisor.Core.Config;

namespace Supervisor.Core.Export;

public enum Fidelity { Exact, Approximated, None }

/// <summary>How one ecosystem key maps to each engine (the table in docs/export.md).</summary>
public sealed record KeyMapping(string Key, Fidelity Systemd, Fidelity Kubernetes, string Note);

/// <summary>One line of `sup export --check`: an app's key and how it maps.</summary>
public sealed record CheckRow(string App, KeyMapping Mapping);

/// <summary>`sup export --check FILE`: per app and key it wrote, exact, approximated or none, for both engines.</summary>
public static class ExportCheck
{
    private static KeyMapping M(string key, Fidelity s, Fidelity k, string note) => new(key, s, k, note);

    private const Fidelity E = Fidelity.Exact, A = Fidelity.Approximated, N = Fidelity.None;

    /// <summary>Every key the exporters look at; keys not here (logs rotation, watch, ...) have no equivalent.</summary>
    public static IReadOnlyList<KeyMapping> Table { get; } =
    [
        M("script", E, E, "ExecStart= / container command (the image must hold the script)"),
        M("command", E, E, "ExecStart= / container command"),
        M("interpreter", E, E, "first word of the command"),
        M("interpreter_args", E, E, "words before the script"),
        M("args", E, E, "words after the script"),
        M("cwd", E, E, "WorkingDirectory= / workingDir"),
        M("env", E, E, "Environment= / env (the --env profile merged in)"),
        M("instances", E, E, "template unit NAME@.service with %i / replicas"),
        M("autorestart", E, A, "Restart=always|no / a Deployment always restarts"),
        M("stop_exit_codes", E, N, "RestartPreventExitStatus= / a Deployment restarts whatever the code"),
        M("restart_delay", E, N, "RestartSec= / the kubelet's own back-off"),
        M("exp_backoff_restart_delay", A, N, "RestartSec= as the first delay; RestartSteps=/RestartMaxDelaySec= need systemd 254 (written as comments)"),
        M("min_uptime", A, N, "StartLimitIntervalSec= = min_uptime x (max_restarts+1)"),
        M("max_restarts", A, N, "StartLimitBurst= = max_restarts+1"),
        M("kill_timeout", E, E, "TimeoutStopSec= / terminationGracePeriodSeconds (whole seconds)"),
        M("stop_signal", E, A, "KillSignal= / a preStop hook sends it before Kubernetes' SIGTERM"),
        M("max_memory_restart", A, A, "MemoryMax= / resources.limits.memory: the kernel kills at the limit instead of sup restarting at it"),
        M("out_file", E, N, "StandardOutput=append: (not for templates) / container logs"),
        M("error_file", E, N, "StandardError=append: (not for templates) / container logs"),
        M("merge_logs", E, N, "StandardError= to the out file"),
        M("cron", E, E, "OnCalendar= (two lines when both day fields are restricted) / schedule; DST gaps may differ, see docs/export.md"),
        M("timezone", E, E, "the zone after OnCalendar= / timeZone"),
        M("every", E, A, "OnActiveSec=+OnUnitActiveSec= / a schedule only when it divides an hour or the day"),
        M("jitter", E, N, "RandomizedDelaySec= / not portable: left out"),
        M("active_hours", A, N, "folded into OnCalendar= hours when on whole hours, refused otherwise / not portable"),
        M("run_missed", A, A, "Persistent= (OnCalendar only) / startingDeadlineSeconds: 3600"),
        M("retry", N, A, "no retry for a timer's oneshot / backoffLimit = attempts (no delay or multiplier)"),
        M("on_file", E, N, ".path unit (PathExistsGlob=) + a oneshot that runs per file and moves it / not portable: use a queue"),
        M("concurrency", A, A, "a unit never runs twice at once / concurrencyPolicy: Forbid: both are concurrency 1"),
        M("steps", E, E, "ExecStart= lines of a oneshot / one sh -c \"a && b\""),
        M("name", E, E, "unit name / resource name (lower-cased, DNS-1123)"),
        M("image", N, E, "not used by systemd / the container image (over --image)"),
    ];

    public static IReadOnlyList<CheckRow> Rows(IReadOnlyList<AppSpec> apps)
    {
        var byKey = Table.ToDictionary(m => m.Key, StringComparer.Ordinal);
        var rows = new List<CheckRow>();
        foreach (var group in InstanceGroups.Of(apps))
        {
            foreach (var key in group.First.ExplicitKeys.Order(StringComparer.Ordinal))
            {
                rows.Add(new CheckRow(group.Name, byKey.TryGetValue(key, out var mapping)
                    ? mapping
                    : new KeyMapping(key, N, N, "sup only: no equivalent in either engine")));
            }
        }
        return rows;
    }

    public static IReadOnlyList<string> Lines(IReadOnlyList<AppSpec> apps)
    {
        var rows = Rows(apps);
        var appWidth = Math.Max(3, rows.Select(r => r.App.Length).DefaultIfEmpty(0).Max());
        var keyWidth = Math.Max(3, rows.Select(r => r.Mapping.Key.Length).DefaultIfEmpty(0).Max());
        var lines = new List<string> { $"{"APP".PadRight(appWidth)}  {"KEY".PadRight(keyWidth)}  {"SYSTEMD",-12}  {"KUBERNETES",-12}  HOW" };
        lines.AddRange(rows.Select(r =>
            $"{r.App.PadRight(appWidth)}  {r.Mapping.Key.PadRight(keyWidth)}  {Word(r.Mapping.Systemd),-12}  {Word(r.Mapping.Kubernetes),-12}  {r.Mapping.Note}"));
        return lines;
    }

    private static string Word(Fidelity f) => f switch { Fidelity.Exact => "exact", Fidelity.Approximated => "approximated", _ => "none" };
}
