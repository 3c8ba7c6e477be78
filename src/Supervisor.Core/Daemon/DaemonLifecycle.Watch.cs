using Microsoft.Extensions.Logging;
using Supervisor.Core.Config;

namespace Supervisor.Core.Daemon;

public sealed partial class DaemonLifecycle
{
    /// <summary>
    /// A watched file changed: reload it as `sup reload` would, with the options it was last
    /// loaded with. An invalid edit changes nothing; its problems go to daemon.log.
    /// </summary>
    private async Task ReloadChangedFileAsync(string path, CancellationToken cancellationToken)
    {
        if (Files.Find(path) is not { } file || _daemonStopping.IsCancellationRequested) return;
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _daemonStopping);
        var options = new LoadOptions { EnvProfile = file.EnvProfile, Only = file.Only, SupHome = _paths.Home };
        Ecosystem ecosystem;
        try
        {
            ecosystem = EcosystemLoader.Load(path, options);
        }
        catch (SupException ex)
        {
            _log.LogError("{File} changed but was not reloaded; the running apps are unchanged. {Message}{Details}", path, ex.Message,
                string.Concat(ex.Details.Select(d => Environment.NewLine + "  " + d)));
            return;
        }

        var plan = await _registry.ApplyAsync(ecosystem, removeMissing: true, onlySubset: options.Only is not null, linked.Token);
        await FileAppliedAsync(ecosystem, options, plan);
        _log.LogInformation("{File} changed and was reloaded (watch_config): {Plan}", path, Describe(plan));
    }
}
