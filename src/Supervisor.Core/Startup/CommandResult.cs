namespace Supervisor.Core.Startup;

/// <summary>How a command ended; exit code 127 with a message when the program was not found.</summary>
public sealed record CommandResult(int ExitCode, string Output, string Error)
{
    public bool Succeeded => ExitCode == 0;

    /// <summary>The first line worth showing a user: stderr's, else stdout's.</summary>
    public string FirstLine =>
        (Error + "\n" + Output).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault()
        ?? $"exit code {ExitCode}";
}
