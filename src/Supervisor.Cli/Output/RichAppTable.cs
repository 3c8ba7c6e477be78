using Spectre.Console;

namespace Supervisor.Cli.Output;

/// <summary>The `sup ls` table on a terminal: box drawing, coloured status, fitted to the terminal's width.</summary>
internal static class RichAppTable
{
    public static string Render(AppRows rows, int width)
    {
        var table = new Table().Border(TableBorder.Rounded).BorderStyle(new Style(Color.Grey));
        foreach (var header in rows.Headers)
        {
            var column = new TableColumn(new Text(header == "restarts" ? "↺" : header, new Style(decoration: Decoration.Bold)));
            column.NoWrap = true;
            table.AddColumn(column);
        }

        var status = rows.Headers.ToList().IndexOf(AppRows.StatusColumn);
        foreach (var (cells, app) in rows.Cells.Zip(rows.Apps))
        {
            table.AddRow(cells.Select((cell, i) =>
            {
                var header = rows.Headers[i];
                var text = new Text(cell, i == status ? SpectreText.StatusStyle(app.Status)
                    : header == AppRows.ReasonColumn ? new Style(Color.Red) : Style.Plain);
                // Only the free-text columns give way when the terminal is narrow.
                if (header is AppRows.NameColumn or AppRows.ReasonColumn) text.Overflow = Overflow.Ellipsis;
                return text;
            }).ToArray());
        }
        return SpectreText.Render(table, width);
    }
}
