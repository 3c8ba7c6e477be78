using Supervisor.Core;
using Supervisor.Core.Protocol;

namespace Supervisor.Cli.Commands;

/// <summary>
/// PM2's verbs that take an ecosystem file or a name where sup's took only one of them:
/// `startOrRestart|startOrReload|restart FILE` (the file applied, then what it left unchanged
/// restarted or reloaded), `reload NAME`, `start NAME`.
/// </summary>
internal static class Pm2FileVerbs
{
    /// <summary>
    /// Applies the file (new apps start, changed ones restart with their new settings), then
    /// restarts, or with <paramref name="reload"/> reloads, every service it left unchanged; jobs
    /// are left to their triggers.
    /// </summary>
    public static async Task<int> StartThenRestartAsync(string path, string? env, string? only, bool reload, CancellationToken ct)
    {
        var file = Path.GetFullPath(path);
        var plan = await DaemonCall.InvokeAsync(d => d.StartAsync(file, env, only, ct), ct);
        var services = plan.Apps.Where(a => a.Kind == "service").Select(a => a.Name).ToHashSet(StringComparer.Ordinal);
        var again = plan.Unchanged.Where(services.Contains).ToList();
        var done = new List<string>();
        foreach (var name in again)
        {
            await DaemonCall.InvokeAsync(d => reload ? d.ReloadAppAsync(name, ct) : d.RestartAsync(name, null, ct), ct);
            done.Add(name);
        }

        var apps = await DaemonCall.InvokeAsync(d => d.ListAsync(ct), ct);
        var names = plan.Apps.Select(a => a.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var name in done) Console.WriteLine($"{Terminal.Yellow(reload ? "reloaded" : "restarted")}  {name} (was running)");
        PlanPrinter.Print(plan with
        {
            Unchanged = [.. plan.Unchanged.Except(done)],
            Apps = [.. apps.Where(a => names.Contains(a.Name) || names.Any(n => a.Name.StartsWith(n + "-", StringComparison.Ordinal)))],
        }, reload: false);
        return ExitCodes.Ok;
    }

    /// <summary>Whether `sup restart X` / `sup reload X` names an ecosystem file rather than an app.</summary>
    public static bool NamesFile(string nameOrFile) =>
        StartCommand.IsEcosystemFile(nameOrFile) && File.Exists(nameOrFile);

    /// <summary>
    /// `sup start NAME` of an app the daemon has (stopped, errored, autostart: false): started.
    /// Null when <paramref name="target"/> is a file here or the daemon has no such app, so the
    /// caller goes on to start it as a script.
    /// </summary>
    public static async Task<int?> TryStartByNameAsync(string target, bool json, CancellationToken ct)
    {
        if (File.Exists(target) || Directory.Exists(target) || target.Contains('/') || target.Contains(' ')) return null;
        AppInfo[] result;
        try
        {
            result = await DaemonCall.InvokeAsync(d => d.StartAppAsync(target, ct), ct);
        }
        catch (SupException ex) when (ex.Error == SupError.NoSuchApp)
        {
            return null;
        }

        if (json) Json.Print(result, Json.Contract.AppInfoArray);
        else Console.Write(Output.AppTable.Render(result));
        return ExitCodes.Ok;
    }
}
