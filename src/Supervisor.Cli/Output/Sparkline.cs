namespace Supervisor.Cli.Output;

/// <summary>A row of block characters, one per sample, for `sup monit`'s cpu and memory history.</summary>
public static class Sparkline
{
    private const string Blocks = "▁▂▃▄▅▆▇█";
    private const string AsciiBlocks = "_.-=+*#@";

    /// <summary>
    /// The last <paramref name="width"/> samples, right-aligned, scaled from 0 to
    /// max(<paramref name="floor"/>, the largest sample) so a flat idle line stays low.
    /// </summary>
    public static string Render(IReadOnlyList<double> samples, int width, double floor, bool unicode = true)
    {
        if (width <= 0) return "";
        var blocks = unicode ? Blocks : AsciiBlocks;
        var shown = samples.Skip(Math.Max(0, samples.Count - width)).ToList();
        var top = Math.Max(floor, shown.Count == 0 ? 0 : shown.Max());
        var chars = shown.Select(v =>
        {
            var level = top <= 0 ? 0 : (int)Math.Round(Math.Clamp(v / top, 0, 1) * (blocks.Length - 1));
            return blocks[level];
        });
        return new string(' ', width - shown.Count) + string.Concat(chars);
    }
}
