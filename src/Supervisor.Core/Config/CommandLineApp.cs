namespace Supervisor.Core.Config;

/// <summary>
/// The app of `sup start SCRIPT` with PM2's flags, given as one app of an ecosystem file (a JSON
/// object whose cwd is the shell's folder), read by the file reader so that a flag means what its
/// key means; it is then an ad-hoc app (no source file), as `sup start SCRIPT --name` makes.
/// </summary>
public static class CommandLineApp
{
    /// <summary>What problems are reported against: the object is no file.</summary>
    private const string Origin = "(command line)";

    /// <exception cref="SupException">BadArgument: a flag's value is invalid, or the script cannot run.</exception>
    public static IReadOnlyList<AppSpec> Read(string appJson, string cwd, string? supHome)
    {
        var folder = Path.GetFullPath(cwd);
        var origin = Path.Combine(folder, Origin);
        Ecosystem ecosystem;
        try
        {
            ecosystem = EcosystemLoader.Parse("{\"apps\": [" + appJson + "]}", origin, new LoadOptions { SupHome = supHome });
        }
        catch (SupException ex) when (ex.Error == SupError.InvalidConfig)
        {
            // "FOLDER/(command line):1:40: instances: 'x' is not a whole number." → the message alone.
            var problems = ex.Details.Select(line => Message(line, origin));
            throw new SupException(SupError.BadArgument, "Cannot start it: " + string.Join(" ", problems));
        }

        return [.. ecosystem.Apps.Select(app => app with { SourceFile = null })];
    }

    private static string Message(string line, string origin)
    {
        if (!line.StartsWith(origin + ":", StringComparison.Ordinal)) return line;
        var rest = line[(origin.Length + 1)..];
        // Past "LINE:COLUMN: ".
        for (var colons = 0; colons < 2 && rest.IndexOf(':') is var at and >= 0; colons++) rest = rest[(at + 1)..];
        return rest.Trim();
    }
}
