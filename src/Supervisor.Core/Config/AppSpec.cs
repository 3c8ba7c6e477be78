namespace Supervisor.Core.Config;

/// <summary>Whether an app is kept alive (service) or runs on a trigger (job).</summary>
public enum AppKind { Service, Job }

/// <summary>
/// One app, validated and resolved: paths are absolute, durations are TimeSpans, defaults
/// applied (see <see cref="AppDefaults"/>). Immutable; a changed file produces a new spec.
/// </summary>
public sealed record AppSpec
{
    public required string Name { get; init; }

    /// <summary>The executable to start (absolute path or a program on PATH).</summary>
    public required string FileName { get; init; }

    /// <summary>Arguments after <see cref="FileName"/>: interpreter's script, then args.</summary>
    public required IReadOnlyList<string> Arguments { get; init; }

    /// <summary>What the user wrote: script path (absolute) or null when `command` was used.</summary>
    public string? Script { get; init; }

    /// <summary>The container image holding this app, for `sup export kubernetes` only; sup itself runs local programs.</summary>
    public string? Image { get; init; }
    public string? Command { get; init; }
    public string? Interpreter { get; init; }
    /// <summary>Arguments to the interpreter, before the script (PM2's interpreter_args).</summary>
    public IReadOnlyList<string> InterpreterArgs { get; init; } = [];
    public IReadOnlyList<string> Args { get; init; } = [];

    public required string Cwd { get; init; }

    /// <summary>Variables set over the daemon's environment (profile already merged in).</summary>
    public IReadOnlyDictionary<string, string> Env { get; init; } = new Dictionary<string, string>();

    /// <summary>False = loaded and listed, but not started until asked (PM2's autostart).</summary>
    public bool Autostart { get; init; } = true;
    public bool Autorestart { get; init; } = AppDefaults.Autorestart;
    public TimeSpan MinUptime { get; init; } = AppDefaults.MinUptime;
    public int MaxRestarts { get; init; } = AppDefaults.MaxRestarts;
    public TimeSpan RestartDelay { get; init; } = AppDefaults.RestartDelay;
    public TimeSpan ExpBackoffRestartDelay { get; init; } = AppDefaults.ExpBackoffRestartDelay;
    public IReadOnlyList<int> StopExitCodes { get; init; } = [];
    public TimeSpan KillTimeout { get; init; } = AppDefaults.KillTimeout;
    public string StopSignal { get; init; } = AppDefaults.StopSignal;
    public long? MaxMemoryRestart { get; init; }

    /// <summary>Null = default under $SUP_HOME/logs.</summary>
    public string? OutFile { get; init; }
    public string? ErrorFile { get; init; }
    public bool MergeLogs { get; init; }
    public string? LogDateFormat { get; init; }
    public long LogMaxSize { get; init; } = AppDefaults.LogMaxSize;
    public int LogRetain { get; init; } = AppDefaults.LogRetain;
    public bool LogCompress { get; init; }
    /// <summary>`log_rotate`: also a new file per local day or hour, named by its date; None = by size only.</summary>
    public LogRotation LogRotate { get; init; }

    /// <summary>Null = default under $SUP_HOME/pids.</summary>
    public string? PidFile { get; init; }

    /// <summary>Empty = no watching. Absolute paths.</summary>
    public IReadOnlyList<string> Watch { get; init; } = [];

    /// <summary>PM2's ignore_watch: globs or regexes of paths a change of which restarts nothing; null = PM2's default (dot files, node_modules).</summary>
    public IReadOnlyList<string>? IgnoreWatch { get; init; }

    /// <summary>PM2's watch_delay: changes must be quiet this long before the restart.</summary>
    public TimeSpan WatchDelay { get; init; } = AppDefaults.WatchDelay;

    /// <summary>PM2's cron_restart: restart (or start) the service at each occurrence; null = never.</summary>
    public string? CronRestart { get; init; }

    /// <summary>PM2's log_file: a third file with both streams. Null with <see cref="CombinedLog"/> = $SUP_HOME/logs/NAME.log.</summary>
    public string? LogFile { get; init; }

    /// <summary>True when the app has a combined log (log_file: true or a path).</summary>
    public bool CombinedLog { get; init; }

    /// <summary>Apps (names as written in the file, all instances of each) started before this one; stopped after it.</summary>
    public IReadOnlyList<Dependency> DependsOn { get; init; } = [];

    /// <summary>Set for jobs only.</summary>
    public JobSpec? Job { get; init; }

    /// <summary>Where to tell about this app's events (`notify:`, the app's or the file's); empty = nobody.</summary>
    public IReadOnlyList<NotifyTarget> Notify { get; init; } = [];

    /// <summary>Services: retry an errored app after this cool-down with a fresh count; null = stay errored.</summary>
    public TimeSpan? RestartAfterErrored { get; init; }

    /// <summary>Services: the check that says the app is up (`ready:`); null = online once spawned.</summary>
    public Readiness.ProbeSpec? Ready { get; init; }

    /// <summary>How long a start may stay `starting` before it counts as a failed start.</summary>
    public TimeSpan ReadyTimeout { get; init; } = Readiness.ReadinessWaiter.DefaultReadyTimeout;

    /// <summary>Services: the check run while online (`health:`); null = none.</summary>
    public Readiness.HealthSpec? Health { get; init; }

    /// <summary>Services: dependencies (names from depends_on) whose crash or restart restarts this app too.</summary>
    public IReadOnlyList<string> RestartWith { get; init; } = [];
    /// <summary>Services: before starting, look for a copy sup did not start (detect_external); null = never look.</summary>
    public ExternalSpec? DetectExternal { get; init; }
    /// <summary>
    /// exec_mode: cluster — the number of Node workers one cluster primary forks (they share the
    /// ports they listen on, see Supervision/Cluster); null = fork mode, one process per app.
    /// </summary>
    public int? ClusterInstances { get; init; }

    /// <summary>The ecosystem file this came from; null for ad-hoc apps.</summary>
    public string? SourceFile { get; init; }

    /// <summary>Keys the user wrote (in the file, or on the command line for ad-hoc apps); every other value is a default. For `sup describe`.</summary>
    public IReadOnlySet<string> ExplicitKeys { get; init; } = new HashSet<string>();

    public AppKind Kind => Job is null ? AppKind.Service : AppKind.Job;
}

/// <summary>The trigger and run rules of a job.</summary>
public sealed record JobSpec
{
    public string? Cron { get; init; }
    /// <summary>IANA zone id; null = the machine's zone.</summary>
    public string? Timezone { get; init; }
    public TimeSpan? Every { get; init; }
    public TimeSpan Jitter { get; init; }
    /// <summary>"HH:mm-HH:mm" as written, validated; null = always.</summary>
    public string? ActiveHours { get; init; }
    public RetrySpec? Retry { get; init; }
    public bool RunMissed { get; init; }
    public OnFileSpec? OnFile { get; init; }
    public int Concurrency { get; init; } = 1;
    /// <summary>False = the schedule starts disabled (as `sup disable` left it when saved).</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>Each step is a command line run through `sh -c`; empty = run the app's own command.</summary>
    public IReadOnlyList<string> Steps { get; init; } = [];
}

/// <summary>
/// How to recognise a copy of a service that runs outside sup: a regular expression matched
/// against process command lines (as pgrep -f), or a TCP port something listens on; either found
/// is enough. At least one is set.
/// </summary>
public sealed record ExternalSpec(string? Pattern, int? Port);

public sealed record RetrySpec(int Attempts, TimeSpan Delay, double Multiplier);

/// <summary>Absolute paths.</summary>
public sealed record OnFileSpec(string Path, string Pattern, string? MoveTo);

/// <summary>Every default in one place.</summary>
public static class AppDefaults
{
    public const bool Autorestart = true;
    public static readonly TimeSpan MinUptime = TimeSpan.FromSeconds(10);
    public const int MaxRestarts = 5;
    public static readonly TimeSpan RestartDelay = TimeSpan.Zero;
    public static readonly TimeSpan ExpBackoffRestartDelay = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan KillTimeout = TimeSpan.FromSeconds(5);
    public const string StopSignal = "SIGTERM";
    public const long LogMaxSize = 10L * 1024 * 1024;
    public const int LogRetain = 10;

    /// <summary>PM2 restarts at once on a change; an editor's save is several events, so sup waits for a second of quiet.</summary>
    public static readonly TimeSpan WatchDelay = TimeSpan.FromSeconds(1);
}
