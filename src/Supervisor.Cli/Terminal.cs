namespace Supervisor.Cli;

/// <summary>Colour only on a terminal that wants it (NO_COLOR, pipes and files get plain text).</summary>
public static class Terminal
{
    public static bool StdoutIsRich { get; } =
        !Console.IsOutputRedirected && Environment.GetEnvironmentVariable("NO_COLOR") is null or "";

    public static bool StderrIsRich { get; } =
        !Console.IsErrorRedirected && Environment.GetEnvironmentVariable("NO_COLOR") is null or "";

    public static string Error(string text) => StderrIsRich ? $"\e[31m{text}\e[0m" : text;

    public static string Red(string text) => StdoutIsRich ? $"\e[31m{text}\e[0m" : text;
    public static string Green(string text) => StdoutIsRich ? $"\e[32m{text}\e[0m" : text;
    public static string Yellow(string text) => StdoutIsRich ? $"\e[33m{text}\e[0m" : text;
    public static string Dim(string text) => StdoutIsRich ? $"\e[2m{text}\e[0m" : text;
}
