using Supervisor.Core.Protocol;

namespace Supervisor.Cli.Output;

/// <summary>
/// The cells of the `sup ls` table, shared by the plain and the rich renderer so both show the
/// same thing. Job columns appear only when there are jobs, the reason column only when an app
/// is errored.
/// </summary>
public sealed class AppRows
{
    public const string IdColumn = "id", NameColumn = "name", StatusColumn = "status", ReasonColumn = "reason";

    private AppRows(IReadOnlyList<string> headers, IReadOnlyList<AppInfo> apps, IReadOnlyList<string[]> cells)
    {
        Headers = headers;
        Apps = apps;
        Cells = cells;
    }

    public IReadOnlyList<string> Headers { get; }
    public IReadOnlyList<AppInfo> Apps { get; }
    /// <summary>One row per app, one cell per header.</summary>
    public IReadOnlyList<string[]> Cells { get; }

    public static AppRows Of(IReadOnlyList<AppInfo> apps, DateTimeOffset now)
    {
        var jobs = apps.Any(a => a.Kind == "job");
        var reasons = apps.Any(a => ShowsReason(a));
        // PM2's id column, first as in PM2, whenever the daemon gave ids (every daemon since they exist).
        var ids = apps.Any(a => a.Id is not null);
        var headers = new List<string> { NameColumn, "kind", StatusColumn, "pid", "uptime", "restarts", "cpu", "memory" };
        if (ids) headers.Insert(0, IdColumn);
        if (jobs) headers.AddRange(["next run", "last"]);
        if (reasons) headers.Add(ReasonColumn);
        // Lost output is rare and must not go unseen (issue 14): a column only when it happened.
        var dropped = apps.Any(a => a.LogLinesDropped > 0);
        if (dropped) headers.Add("dropped");

        var cells = apps.Select(a =>
        {
            var row = new List<string>
            {
                a.Name,
                a.Kind,
                a.Status == "waiting" && a.WaitingMs is long w ? $"waiting {Human.Uptime(w)}" : a.Status,
                a.Pid?.ToString() ?? "-",
                a.UptimeMs is long up ? Human.Uptime(up) : "-",
                a.Restarts.ToString(),
                a.Cpu is double cpu ? $"{cpu:0.#}%" : "-",
                a.Memory is long mem ? Human.Bytes(mem) : "-",
            };
            if (ids) row.Insert(0, a.Id?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-");
            if (jobs) row.AddRange([Human.Relative(a.NextRun, now), a.LastResult ?? "-"]);
            if (reasons) row.Add(ShowsReason(a) ? ShortReason(ShownReason(a)) : "");
            if (dropped) row.Add(a.LogLinesDropped > 0 ? $"{a.LogLinesDropped} log lines" : "");
            return row.ToArray();
        }).ToList();
        return new AppRows(headers, apps, cells);
    }

    // external: the reason names the process sup left running in its place.
    private static bool ShowsReason(AppInfo a) => !string.IsNullOrEmpty(a.Reason)
        && (a.Status is "errored" or "external" || (a.Status == "starting" && a.Reason.Contains(WaitingFor, StringComparison.Ordinal))
            || a.Reason.Contains(RestartedAfter, StringComparison.Ordinal));

    // ready:/health: (docs/health.md): what a starting app awaits, and why a check restarted it.
    private const string WaitingFor = "waiting for ", RestartedAfter = "restarted after ";

    /// <summary>"pid 12; waiting for tcp 127.0.0.1:8080" shows as "waiting for tcp 127.0.0.1:8080".</summary>
    private static string ShownReason(AppInfo a)
    {
        var reason = a.Reason!;
        var at = a.Status == "starting" ? reason.IndexOf(WaitingFor, StringComparison.Ordinal) : -1;
        if (at < 0) at = reason.IndexOf(RestartedAfter, StringComparison.Ordinal);
        return a.Status != "errored" && at >= 0 ? reason[at..] : reason;
    }

    /// <summary>"5 fast crashes, last exit code 1" reads as "5 fast crashes, last exit 1" in a column.</summary>
    public static string ShortReason(string reason) => reason.Replace("exit code ", "exit ", StringComparison.Ordinal);
}
