using PolyType;
using StreamJsonRpc;

namespace Supervisor.Core.Protocol;

/// <summary>
/// The daemon's RPC contract, one interface for both ends: the daemon implements it
/// (<see cref="Daemon.DaemonTarget"/>) and the CLI calls it through StreamJsonRpc's
/// source-generated proxy. The wire names are the <see cref="JsonRpcMethodAttribute"/> names,
/// documented in docs/rpc.md with their parameters (by position and by name) and results.
/// </summary>
[JsonRpcContract, GenerateShape(IncludeMethods = MethodShapeFlags.PublicInstance)]
public partial interface ISupDaemon
{
    [JsonRpcMethod("ping")]
    Task<PingResult> PingAsync(CancellationToken cancellationToken = default);

    [JsonRpcMethod("version")]
    Task<VersionResult> VersionAsync(CancellationToken cancellationToken = default);

    /// <summary>Stops every app, answers, then the daemon exits.</summary>
    [JsonRpcMethod("kill")]
    Task<KillResult> KillAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// `sup update`: answers, then this daemon exits without stopping any app; its keeper starts the
    /// `sup` now on disk, which adopts them. Conflict (1004) when no keeper runs.
    /// </summary>
    [JsonRpcMethod("replace")]
    Task<ReplaceResult> ReplaceAsync(CancellationToken cancellationToken = default);

    [JsonRpcMethod("list")]
    Task<AppInfo[]> ListAsync(CancellationToken cancellationToken = default);

    /// <param name="file">The ecosystem file, an absolute path.</param>
    /// <param name="env">The env profile (`env_production` is `production`), or null.</param>
    /// <param name="only">Comma-separated app names to apply, or null for all.</param>
    [JsonRpcMethod("start")]
    Task<StartPlan> StartAsync(string file, string? env = null, string? only = null, CancellationToken cancellationToken = default);

    /// <summary>As <see cref="StartAsync"/>; apps gone from the file are stopped and deleted.</summary>
    [JsonRpcMethod("reload")]
    Task<StartPlan> ReloadAsync(string file, string? env = null, string? only = null, CancellationToken cancellationToken = default);

    [JsonRpcMethod("startScript")]
    Task<AppInfo[]> StartScriptAsync(string script, string? name = null, string[]? args = null, string? cwd = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// `sup start SCRIPT` with PM2's flags: <paramref name="app"/> is one app of an ecosystem file as
    /// a JSON object (`{"script": "app.js", "instances": "2", "watch": "true", "cwd": ...}`), read
    /// by the file reader with paths relative to its cwd. InvalidConfig problems come back as one
    /// BadArgument line.
    /// </summary>
    [JsonRpcMethod("startEntry")]
    Task<AppInfo[]> StartEntryAsync(string app, CancellationToken cancellationToken = default);

    [JsonRpcMethod("stop")]
    Task<AppInfo[]> StopAsync(string name, CancellationToken cancellationToken = default);

    /// <param name="env">With `--update-env`, the caller's whole environment: each app restarts with what differs from the daemon's.</param>
    [JsonRpcMethod("restart")]
    Task<AppInfo[]> RestartAsync(string name, Dictionary<string, string>? env = null, CancellationToken cancellationToken = default);

    [JsonRpcMethod("delete")]
    Task<string[]> DeleteAsync(string name, CancellationToken cancellationToken = default);

    [JsonRpcMethod("describe")]
    Task<AppDetail> DescribeAsync(string name, [JsonRpcParameter("show_secrets")] bool showSecrets = false, CancellationToken cancellationToken = default);

    [JsonRpcMethod("signal")]
    Task<string[]> SignalAsync(string signal, string name, CancellationToken cancellationToken = default);

    [JsonRpcMethod("logPaths")]
    Task<LogPathsInfo[]> LogPathsAsync(string? name = null, CancellationToken cancellationToken = default);

    [JsonRpcMethod("flush")]
    Task<string[]> FlushAsync(string? name = null, CancellationToken cancellationToken = default);

    [JsonRpcMethod("jobs")]
    Task<JobRow[]> JobsAsync(CancellationToken cancellationToken = default);

    [JsonRpcMethod("run")]
    Task<JobRow[]> RunAsync(string name, CancellationToken cancellationToken = default);

    [JsonRpcMethod("enable")]
    Task<JobRow[]> EnableAsync(string name, CancellationToken cancellationToken = default);

    [JsonRpcMethod("disable")]
    Task<JobRow[]> DisableAsync(string name, CancellationToken cancellationToken = default);

    /// <param name="limit">At most this many runs (1..1000), the latest, oldest first.</param>
    [JsonRpcMethod("history")]
    Task<JobRunInfo[]> HistoryAsync(string? name = null, int limit = 20, CancellationToken cancellationToken = default);

    [JsonRpcMethod("save")]
    Task<SaveResult> SaveAsync(bool force = false, CancellationToken cancellationToken = default);

    [JsonRpcMethod("resurrect")]
    Task<ResurrectResult> ResurrectAsync(CancellationToken cancellationToken = default);

    [JsonRpcMethod("maxKillTimeout")]
    Task<MaxKillTimeoutResult> MaxKillTimeoutAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Sends `monit.update` notifications (<see cref="ISupDaemonClient.MonitUpdate"/>) on this
    /// connection at once and then every second, until the caller cancels or disconnects.
    /// </summary>
    [JsonRpcMethod("monit.subscribe")]
    Task MonitSubscribeAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Sends `events.event` notifications (<see cref="ISupDaemonClient.Event"/>) on this connection:
    /// the last <paramref name="recent"/> events, then each new one, until the caller cancels or disconnects.
    /// </summary>
    /// <param name="name">Only this app's events (instances included), or null for all, the daemon's too.</param>
    [JsonRpcMethod("events.subscribe")]
    Task EventsSubscribeAsync(string? name = null, int recent = 0, CancellationToken cancellationToken = default);

    /// <summary>The health document of `sup health`.</summary>
    [JsonRpcMethod("health")]
    Task<HealthReport> HealthAsync(CancellationToken cancellationToken = default);

    /// <summary>`sup reset NAME|all`: zero restart and fast-crash counters; a job also runs at its next check.</summary>
    [JsonRpcMethod("reset")]
    Task<string[]> ResetAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>
    /// `sup pause [JOB...]`: holds the schedules of every job (no names) or of the named jobs,
    /// persisted across daemon restarts. Services are untouched; a run under way finishes.
    /// </summary>
    [JsonRpcMethod("pause")]
    Task<PauseResult> PauseAsync(string[]? names = null, CancellationToken cancellationToken = default);

    /// <summary>`sup resume [JOB...]`: lets the schedules go again (no names: every job, also those paused by name).</summary>
    [JsonRpcMethod("resume")]
    Task<PauseResult> ResumeAsync(string[]? names = null, CancellationToken cancellationToken = default);
    /// <summary>`sup start NAME|ID`: start loaded apps that are not running (stopped, errored, autostart: false).</summary>
    [JsonRpcMethod("startApp")]
    Task<AppInfo[]> StartAppAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>`sup reload NAME|ID`: a cluster replaces its workers one by one; any other app restarts (PM2's fork-mode reload).</summary>
    [JsonRpcMethod("reloadApp")]
    Task<AppInfo[]> ReloadAppAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>`sup scale NAME N`: a cluster's workers, or fork-mode instances NAME-0.., up or down to <paramref name="instances"/>.</summary>
    [JsonRpcMethod("scale")]
    Task<AppInfo[]> ScaleAsync(string name, int instances, CancellationToken cancellationToken = default);

    /// <summary>`sup env NAME|ID`: the app's environment as its process has it; secret values masked unless <paramref name="showSecrets"/>.</summary>
    [JsonRpcMethod("env")]
    Task<Dictionary<string, string>> EnvAsync(string name, [JsonRpcParameter("show_secrets")] bool showSecrets = false, CancellationToken cancellationToken = default);
}
