using Supervisor.Core;

namespace Supervisor.Cli.Output;

/// <summary>Standard output for what scripts read (`sup ls`, `ls --json`, `ping`).</summary>
internal static class Stdout
{
    /// <summary>
    /// Writes and flushes. A closed descriptor 1 (`sup ls >&-`) is one line on stderr and exit 1
    /// ("Cannot write to standard output: Bad file descriptor."), not the runtime's "Access to the
    /// path is denied".
    /// </summary>
    public static void Write(string text)
    {
        try
        {
            Console.Out.Write(text);
            Console.Out.Flush();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new SupException(SupError.Io, Terminal.CannotWriteOutput(ex));
        }
    }
}
