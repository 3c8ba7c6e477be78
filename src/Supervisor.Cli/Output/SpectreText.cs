using Spectre.Console;
using Spectre.Console.Rendering;

namespace Supervisor.Cli.Output;

/// <summary>
/// Renders Spectre.Console widgets to a string of ANSI text at a given size, so a frame can be
/// written to the terminal in one piece (no flicker, no scrolling past the last line).
/// </summary>
internal static class SpectreText
{
    public static string Render(IRenderable renderable, int width, int? height = null)
    {
        using var writer = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.Yes,
            ColorSystem = Terminal.WantsColour ? ColorSystemSupport.Standard : ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(writer),
        });
        console.Profile.Width = width;
        if (height is int h) console.Profile.Height = h;
        console.Profile.Capabilities.Unicode = Terminal.Unicode;
        console.Write(renderable);
        return writer.ToString();
    }

    public static Style StatusStyle(string status) => status switch
    {
        "online" or "running" or "scheduled" => new Style(Color.Green),
        "waiting" or "stopping" or "starting" => new Style(Color.Yellow),
        "external" => new Style(Color.Blue),
        "errored" or "stopped" => new Style(Color.Red),
        _ => Style.Plain,
    };
}
