using System.Text;
using Supervisor.Core.Protocol;

namespace Supervisor.Cli.Output;

/// <summary>
/// The `sup ls` table. Plain aligned columns (no box drawing) so it reads well in a pipe and
/// in a terminal alike; status is coloured on a terminal.
/// </summary>
public static class AppTable
{
    private static readonly string[] Headers = ["name", "kind", "status", "pid", "uptime", "↺", "cpu", "memory", "next run"];

    public static string Render(IReadOnlyList<AppInfo> apps)
    {
        if (apps.Count == 0) return "No apps. `sup start ecosystem.yaml` starts some.\n";
        var rows = apps.Select(Row).ToList();
        var widths = Headers.Select((h, i) => Math.Max(h.Length, rows.Max(r => r[i].Length))).ToArray();
        var sb = new StringBuilder();
        Append(sb, Headers, widths, header: true);
        foreach (var (row, app) in rows.Zip(apps))
            Append(sb, row, widths, header: false, status: app.Status);
        foreach (var app in apps.Where(a => a.Status == "errored" && a.Reason is not null))
            sb.Append(Terminal.Red($"{app.Name}: {app.Reason}")).Append('\n');
        return sb.ToString();
    }

    private static string[] Row(AppInfo a) =>
    [
        a.Name,
        a.Kind,
        a.Status == "waiting" && a.WaitingMs is long w ? $"waiting {Human.Duration(TimeSpan.FromMilliseconds(w))}" : a.Status,
        a.Pid?.ToString() ?? "-",
        a.UptimeMs is long up ? Human.Duration(TimeSpan.FromMilliseconds(up)) : "-",
        a.Restarts.ToString(),
        a.Cpu is double cpu ? $"{cpu:0.#}%" : "-",
        a.Memory is long mem ? Human.Bytes(mem) : "-",
        a.NextRun is { } next && DateTimeOffset.TryParse(next, out var at)
            ? Human.Relative(at - DateTimeOffset.Now) : "-",
    ];

    private static void Append(StringBuilder sb, string[] cells, int[] widths, bool header, string? status = null)
    {
        for (var i = 0; i < cells.Length; i++)
        {
            var cell = cells[i].PadRight(widths[i]);
            if (header) cell = Terminal.Dim(cell);
            else if (i == 2 && status is not null) cell = Colour(status, cell);
            sb.Append(cell);
            if (i < cells.Length - 1) sb.Append("  ");
        }
        sb.Append('\n');
    }

    private static string Colour(string status, string text) => status switch
    {
        "online" or "running" or "scheduled" => Terminal.Green(text),
        "waiting" or "stopping" or "starting" => Terminal.Yellow(text),
        "errored" or "stopped" => Terminal.Red(text),
        _ => text,
    };
}
