namespace Supervisor.Core.Config;

/// <summary>
/// PM2's other names for keys sup reads, from PM2's own schema (lib/API/schema.json): a PM2 file
/// may use any of them. Giving two names of one key is an error, except merge_logs and
/// combine_logs with the same value (real files carry both).
/// </summary>
internal static class Pm2Keys
{
    public static readonly IReadOnlyDictionary<string, string[]> Aliases = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        ["script"] = ["exec"],
        ["interpreter"] = ["exec_interpreter"],
        ["out_file"] = ["output", "out", "out_log"],
        ["error_file"] = ["error", "err", "err_file", "err_log"],
        ["log_file"] = ["log"],
        ["pid_file"] = ["pid"],
    };

    /// <summary>Every alias, for the key table.</summary>
    public static IEnumerable<string> AllAliases => Aliases.Values.SelectMany(a => a);

    /// <summary>PM2's instance variable, set for every instance unless instance_var renames it.</summary>
    public const string DefaultInstanceVar = "NODE_APP_INSTANCE";

    /// <summary>sup's own instance variable: always set, whatever instance_var says.</summary>
    public const string SupInstanceVar = "SUP_INSTANCE";

    /// <summary>
    /// PM2's `instances`: 0 and "max" mean one per CPU, -1 all CPUs but one (at least one).
    /// </summary>
    public static int Instances(int written, int processors) => written switch
    {
        0 => processors,
        -1 => Math.Max(1, processors - 1),
        _ => written,
    };

    /// <summary>
    /// The name PM2 gives an app without one: the script's file name without its extension
    /// (`./bin/www` → www, `server.js` → server); for a command line, its program's.
    /// </summary>
    public static string NameFromScript(string script)
    {
        var program = script.Trim();
        var space = program.IndexOfAny([' ', '\t']);
        if (space > 0)
        {
            program = program[..space];
        }

        var file = Path.GetFileName(program.TrimEnd('/'));
        var name = Path.GetFileNameWithoutExtension(file);
        return name.Length > 0 ? name : file;
    }

    /// <summary>
    /// A `script` PM2 runs through the shell: one that is no file but a command line
    /// ("npx serve dist -s", "npm run start").
    /// </summary>
    public static bool IsCommandLine(string script) => script.Trim().IndexOfAny([' ', '\t']) > 0;
}
