namespace Supervisor.Cli;

/// <summary>Colour only on a terminal that wants it (NO_COLOR, pipes and files get plain text).</summary>
public static class Terminal
{
    /// <summary>False when NO_COLOR is set (https://no-color.org).</summary>
    public static bool WantsColour { get; } = Environment.GetEnvironmentVariable("NO_COLOR") is null or "";

    public static bool StdoutIsRich { get; } = !Console.IsOutputRedirected && WantsColour;

    public static bool StderrIsRich { get; } = !Console.IsErrorRedirected && WantsColour;

    /// <summary>Columns of the terminal on stdout; a comfortable default when there is none.</summary>
    public static int Width
    {
        get
        {
            try { return Console.IsOutputRedirected || Console.WindowWidth <= 0 ? 120 : Console.WindowWidth; }
            catch (IOException) { return 120; }
        }
    }

    /// <summary>Whether box drawing and block characters will show (a UTF-8 locale).</summary>
    public static bool Unicode =>
        Console.OutputEncoding.CodePage == 65001
        || (Environment.GetEnvironmentVariable("LC_ALL") ?? Environment.GetEnvironmentVariable("LC_CTYPE") ?? Environment.GetEnvironmentVariable("LANG") ?? "")
            .Contains("UTF-8", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The one line for a standard output that cannot be written (`sup ls >&-`): the runtime
    /// wraps the OS's reason ("Bad file descriptor") in "Access to the path is denied".
    /// </summary>
    public static string CannotWriteOutput(Exception ex) =>
        $"Cannot write to standard output: {(ex.InnerException ?? ex).Message.TrimEnd('.')}.";

    public static string Error(string text) => StderrIsRich ? $"\e[31m{text}\e[0m" : text;

    public static string Red(string text) => StdoutIsRich ? $"\e[31m{text}\e[0m" : text;
    public static string Green(string text) => StdoutIsRich ? $"\e[32m{text}\e[0m" : text;
    public static string Yellow(string text) => StdoutIsRich ? $"\e[33m{text}\e[0m" : text;
    public static string Dim(string text) => StdoutIsRich ? $"\e[2m{text}\e[0m" : text;
}
