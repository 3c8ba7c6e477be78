using System.Text;
using Supervisor.Core.Protocol;

namespace Supervisor.Cli.Output;

/// <summary>
/// The `sup ls` table. On a terminal that wants colour it is a Spectre.Console table sized to the
/// terminal (<see cref="RichAppTable"/>); otherwise (a pipe, a file, NO_COLOR) plain aligned columns
/// with no colour and no box drawing, rendered here without loading Spectre at all.
/// </summary>
public static class AppTable
{
    // UtcNow: only differences are shown, and the local zone costs a tz database read.
    public static string Render(IReadOnlyList<AppInfo> apps) =>
        apps.Count > 0 && Terminal.StdoutIsRich
            ? RichAppTable.Render(AppRows.Of(apps, DateTimeOffset.UtcNow), Terminal.Width)
            : RenderPlain(apps, DateTimeOffset.UtcNow);

    public static string RenderPlain(IReadOnlyList<AppInfo> apps, DateTimeOffset now)
    {
        if (apps.Count == 0) return "No apps. `sup start ecosystem.yaml` starts some.\n";
        var rows = AppRows.Of(apps, now);
        var widths = rows.Headers.Select((h, i) => Math.Max(h.Length, rows.Cells.Max(r => r[i].Length))).ToArray();
        var sb = new StringBuilder();
        Append(sb, [.. rows.Headers], widths);
        foreach (var row in rows.Cells) Append(sb, row, widths);
        return sb.ToString();
    }

    private static void Append(StringBuilder sb, string[] cells, int[] widths)
    {
        var line = new StringBuilder();
        for (var i = 0; i < cells.Length; i++)
        {
            line.Append(cells[i].PadRight(widths[i]));
            if (i < cells.Length - 1) line.Append("  ");
        }
        sb.Append(line.ToString().TrimEnd()).Append('\n');
    }
}
