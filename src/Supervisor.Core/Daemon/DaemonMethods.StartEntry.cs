using Supervisor.Core.Config;
using Supervisor.Core.Protocol;
using Supervisor.Core.Supervision;

namespace Supervisor.Core.Daemon;

public sealed partial class DaemonMethods
{
    /// <summary>`sup start SCRIPT` with PM2's flags (see <see cref="CommandLineApp"/>): every instance is added and started.</summary>
    public async Task<AppInfo[]> StartEntryAsync(string app, CancellationToken cancellationToken)
    {
        Required(app, nameof(app), 0);
        var cwd = CwdOf(app);
        var started = new List<IAppSupervisor>();
        foreach (var spec in CommandLineApp.Read(app, cwd, context.SupHome))
        {
            started.Add(await registry.AddAndStartAsync(spec, cancellationToken));
        }

        Wanted(started, running: true);
        Lifecycle?.Persist();
        return List(started);
    }

    /// <summary>The object's cwd (the shell's folder); the daemon's own when missing.</summary>
    private static string CwdOf(string app)
    {
        try
        {
            using var document = System.Text.Json.JsonDocument.Parse(app);
            return document.RootElement.ValueKind == System.Text.Json.JsonValueKind.Object
                && document.RootElement.TryGetProperty("cwd", out var cwd) && cwd.GetString() is { Length: > 0 } folder
                    ? folder
                    : Environment.CurrentDirectory;
        }
        catch (System.Text.Json.JsonException ex)
        {
            throw new SupException(SupError.BadArgument, $"startEntry: the app is not a JSON object: {ex.Message}");
        }
    }
}
