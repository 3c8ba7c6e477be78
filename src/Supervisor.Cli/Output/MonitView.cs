using System.Globalization;
using System.Text;
using Spectre.Console;
using Spectre.Console.Rendering;
using Supervisor.Core.Protocol;

namespace Supervisor.Cli.Output;

/// <summary>
/// One frame of `sup monit`: the app list with cpu and memory history, the selected app's
/// details, and its log tail (stdout and stderr side by side), laid out to fill the terminal.
/// </summary>
internal static class MonitView
{
    private const int SparkWidth = 16;
    private const int MemoryFloorBytes = 1024 * 1024;

    /// <summary>ANSI text of exactly <paramref name="height"/> lines (no newline after the last, so the screen never scrolls).</summary>
    public static string Render(MonitModel model, MonitLogs logs, int width, int height, DateTimeOffset now)
    {
        width = Math.Max(width, 40);
        height = Math.Max(height, 12);
        // Room for every app (table borders and header take 4 lines) and for a job's details (11).
        var topHeight = Math.Clamp(Math.Max(model.Apps.Count + 4, 11), 8, Math.Max(8, height / 2));
        var logHeight = height - 1 - topHeight;

        var layout = new Layout("root").SplitRows(
            new Layout("header").Size(1),
            new Layout("top").Size(topHeight).SplitColumns(new Layout("apps").Ratio(3), new Layout("details").Ratio(2)),
            new Layout("logs").Size(logHeight).SplitColumns(new Layout("out"), new Layout("err")));

        layout["header"].Update(new Text(
            $" sup monit · {model.Apps.Count} app(s) · {(model.At ?? now).ToLocalTime():HH:mm:ss} · ↑/↓ select · q quit",
            new Style(decoration: Decoration.Bold)));
        layout["apps"].Update(AppsTable(model, topHeight));
        layout["details"].Update(Details(model.Selected, now, topHeight));
        var logWidth = Math.Max(10, width / 2 - 4);
        layout["out"].Update(LogPanel($"{model.SelectedName} out", logs.Out, logHeight, logWidth, Style.Plain));
        layout["err"].Update(LogPanel($"{model.SelectedName} err", logs.Err, logHeight, logWidth, new Style(Color.Red)));

        return SpectreText.Render(layout, width, height).TrimEnd('\n', '\r');
    }

    private static Table AppsTable(MonitModel model, int height)
    {
        var table = new Table().Border(TableBorder.Rounded).BorderStyle(new Style(Color.Grey)).Expand();
        table.AddColumn(new TableColumn("") { NoWrap = true, Width = 1, Padding = new Padding(0, 0, 1, 0) });
        foreach (var header in new[] { "name", "status", "cpu", "cpu history", "memory", "memory history" })
            table.AddColumn(new TableColumn(new Text(header, new Style(decoration: Decoration.Bold))) { NoWrap = true });

        // Keep the selected row in view when there are more apps than rows.
        var rows = Math.Max(1, height - 4);
        var first = Math.Clamp(model.SelectedIndex - rows + 1, 0, Math.Max(0, model.Apps.Count - rows));
        foreach (var app in model.Apps.Skip(first).Take(rows))
        {
            var selected = app.Name == model.SelectedName;
            var emphasis = selected ? new Style(decoration: Decoration.Bold | Decoration.Invert) : Style.Plain;
            table.AddRow(
                new Text(selected ? "›" : " "),
                new Text(app.Name, emphasis) { Overflow = Overflow.Ellipsis },
                new Text(app.Status, SpectreText.StatusStyle(app.Status)),
                new Text(app.Cpu is double cpu ? $"{cpu:0.0}%" : "-"),
                new Text(Sparkline.Render(model.CpuHistory(app.Name), SparkWidth, 100, Terminal.Unicode), new Style(Color.Green)),
                new Text(app.Memory is long mem ? Human.Bytes(mem) : "-"),
                new Text(Sparkline.Render(model.MemoryHistory(app.Name), SparkWidth, MemoryFloorBytes, Terminal.Unicode), new Style(Color.Blue)));
        }
        if (model.Apps.Count == 0) table.AddRow(new Text(""), new Text("no apps: `sup start ecosystem.yaml`"));
        return table;
    }

    private static Panel Details(AppInfo? app, DateTimeOffset now, int height)
    {
        var grid = new Grid().AddColumn(new GridColumn { NoWrap = true }).AddColumn();
        void Row(string key, string value, Style? style = null) =>
            grid.AddRow(new Text(key, new Style(Color.Grey)), new Text(value, style ?? Style.Plain) { Overflow = Overflow.Ellipsis });

        if (app is not null)
        {
            Row("status", app.Status == "waiting" && app.WaitingMs is long w ? $"waiting {Human.Uptime(w)}" : app.Status, SpectreText.StatusStyle(app.Status));
            Row("kind", app.Kind);
            Row("pid", app.Pid?.ToString(CultureInfo.InvariantCulture) ?? "-");
            Row("uptime", app.UptimeMs is long up ? Human.Uptime(up) : "-");
            Row("restarts", app.Restarts.ToString(CultureInfo.InvariantCulture));
            Row("cpu", app.Cpu is double cpu ? $"{cpu:0.0}%" : "-");
            Row("memory", app.Memory is long mem ? Human.Bytes(mem) : "-");
            if (app.Kind == "job")
            {
                Row("next run", Human.Relative(app.NextRun, now));
                Row("last run", app.LastRun is null ? "never" : $"{Human.Relative(app.LastRun, now)}, {app.LastResult}");
            }
            if (!string.IsNullOrEmpty(app.Reason)) Row("reason", app.Reason, app.Status == "errored" ? new Style(Color.Red) : null);
        }
        return new Panel(grid) { Header = new PanelHeader(app?.Name ?? "no app"), Expand = true, Height = height }
            .Border(BoxBorder.Rounded).BorderStyle(new Style(Color.Grey));
    }

    private static Panel LogPanel(string title, IReadOnlyList<string> lines, int height, int width, Style style)
    {
        var visible = lines.Skip(Math.Max(0, lines.Count - (height - 2))).Select(line => Fit(line, width));
        var text = new Text(string.Join('\n', visible), style);
        return new Panel(text) { Header = new PanelHeader(title), Expand = true, Height = height }
            .Border(BoxBorder.Rounded).BorderStyle(new Style(Color.Grey));
    }

    /// <summary>One screen line: control characters (an app's own colours, tabs, CRs) would wreck the layout.</summary>
    internal static string Fit(string line, int width)
    {
        var text = new StringBuilder(Math.Min(line.Length, width));
        foreach (var c in line)
        {
            if (text.Length >= width) break;
            text.Append(char.IsControl(c) ? ' ' : c);
        }
        return text.ToString();
    }
}

/// <summary>The selected app's last log lines, read from its files.</summary>
internal sealed record MonitLogs(IReadOnlyList<string> Out, IReadOnlyList<string> Err)
{
    public static MonitLogs Empty { get; } = new([], []);
}
