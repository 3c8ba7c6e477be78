using Microsoft.Extensions.Logging;
using Supervisor.Core.Config;
using Supervisor.Core.Daemon;
using Supervisor.Core.Logs;
using Supervisor.Core.Platform;
using Supervisor.Core.Protocol;
using Supervisor.Core.Scheduling;
using Supervisor.Core.Supervision;
using Supervisor.Tests.TestSupport;

namespace Supervisor.Tests.Scheduling;

/// <summary>
/// One <see cref="JobSupervisor"/> on a <see cref="ManualTimeProvider"/>: processes are real
/// (`/bin/sh -c SCRIPT` in a temp folder), time is fake, state.json lives in the temp folder.
/// The schedule only moves when the test advances the clock, so due times are exact.
/// </summary>
internal sealed class JobHarness : IAsyncDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Step = TimeSpan.FromMinutes(1);

    private readonly ILoggerFactory _logging;
    private readonly AppLogs _logs;
    private readonly bool _ownsDir;

    private JobHarness(string dir, bool ownsDir, ManualTimeProvider time, StateStore store, LogCapture log, ILoggerFactory logging, AppLogs logs, JobSupervisor job)
    {
        Dir = dir;
        _ownsDir = ownsDir;
        Time = time;
        Store = store;
        Log = log;
        _logging = logging;
        _logs = logs;
        Job = job;
    }

    public static readonly DateTimeOffset DefaultStart = new(2026, 11, 22, 9, 0, 0, TimeSpan.Zero);

    public string Dir { get; }
    public ManualTimeProvider Time { get; }
    public StateStore Store { get; }
    /// <summary>What the job was given: its pause switch (<see cref="SchedulerPause"/>) and, with detectSuspend, its <see cref="SuspendDetector"/>.</summary>
    public SupervisorContext Context { get; private init; } = null!;
    public LogCapture Log { get; }
    public JobSupervisor Job { get; }
    public DateTimeOffset Now => Time.GetUtcNow();
    public string StateFile => Path.Combine(Dir, "state.json");

    public static string NewDir()
    {
        var dir = Path.Combine("/tmp", "sup-t-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        return dir;
    }

    /// <param name="script">The job's command, run as `/bin/sh -c script` in <see cref="Dir"/>.</param>
    /// <param name="stateJson">A state.json to start from, as a previous daemon left it.</param>
    /// <param name="dir">A folder to reuse (a "daemon restart"); the caller deletes it. Default: a new one, deleted on dispose.</param>
    public static JobHarness Create(JobSpec job, string script = "exit 0", DateTimeOffset? start = null,
        string? stateJson = null, string? dir = null, Func<AppSpec, AppSpec>? adjust = null, bool detectSuspend = false)
    {
        var ownsDir = dir is null;
        dir ??= NewDir();
        if (stateJson is not null) File.WriteAllText(Path.Combine(dir, "state.json"), stateJson);
        var time = new ManualTimeProvider(start ?? DefaultStart);
        var log = new LogCapture();
        var logging = LoggerFactory.Create(b => b.AddProvider(log).SetMinimumLevel(LogLevel.Debug));
        // The store debounces on the real clock, so state.json is written without advancing the fake one.
        var store = new StateStore(Path.Combine(dir, "state.json"), logging.CreateLogger("state"), TimeProvider.System);
        var spec = new AppSpec
        {
            Name = "job",
            FileName = "/bin/sh",
            Arguments = ["-c", script, "sh"], // "sh" is $0, so a file given as the last argument is $1
            Cwd = dir,
            KillTimeout = TimeSpan.FromSeconds(5),
            Job = job,
        };
        spec = adjust?.Invoke(spec) ?? spec;
        var context = new SupervisorContext(ProcessControl.Current, time, logging, dir)
        {
            Pause = new SchedulerPause(store),
            Events = new Supervisor.Core.Events.EventBus(),
            Suspends = detectSuspend ? new SuspendDetector(time) : null,
        };
        var logs = AppLogs.Open(spec, dir, time);
        var supervisor = new JobSupervisor(spec, logs, context, store, new Random(42));
        return new JobHarness(dir, ownsDir, time, store, log, logging, logs, supervisor) { Context = context };
    }

    public string PathOf(string name) => Path.Combine(Dir, name);

    public string OutLog => File.Exists(_logs.OutPath) ? File.ReadAllText(_logs.OutPath) : "";

    public Task StartAsync() => Job.StartAsync("started by test", CancellationToken.None);

    public IReadOnlyList<JobRunInfo> History => Job.History(1000);

    /// <summary>Waits until the job shows <paramref name="expected"/> as its next run (null: none).</summary>
    public async Task NextRunIsAsync(DateTimeOffset? expected)
    {
        await Eventually.ValueAsync(() => Task.FromResult(Job.Snapshot().NextRun), n => n == expected, Patience,
            $"next run {expected:O}");
    }

    public async Task<DateTimeOffset> NextRunAsync() =>
        (await Eventually.ValueAsync(() => Task.FromResult(Job.Snapshot().NextRun), n => n is not null, Patience, "a next run")).GetValueOrDefault();

    public async Task StatusIsAsync(AppStatus expected) =>
        await Eventually.ValueAsync(() => Task.FromResult(Job.Snapshot().Status), s => s == expected, Patience, $"status {expected}");

    /// <summary>Waits until <paramref name="count"/> runs have finished and been booked.</summary>
    public async Task<IReadOnlyList<JobRunInfo>> RunsAsync(int count)
    {
        await Eventually.ValueAsync(() => Task.FromResult(Job.Counters().Runs), n => n >= count, Patience, $"{count} finished run(s)");
        return History;
    }

    /// <summary>Waits until the code under test has armed at least <paramref name="count"/> timers.</summary>
    public async Task TimersAsync(int count = 1) =>
        await Eventually.ValueAsync(() => Task.FromResult(Time.PendingTimers), n => n >= count, Patience, $"{count} pending timer(s)");

    /// <summary>Waits until something waits for exactly <paramref name="at"/> (a retry delay, a poll).</summary>
    public async Task TimerDueAsync(DateTimeOffset at) =>
        await Eventually.ValueAsync(() => Task.FromResult(Time.DueTimes), d => d.Contains(at), Patience, $"a timer due {at:O}");

    /// <summary>Moves the clock to <paramref name="target"/> a minute at a time, each step once something waits on it.</summary>
    public async Task AdvanceToAsync(DateTimeOffset target)
    {
        while (Now < target)
        {
            await TimersAsync();
            var left = target - Now;
            Time.Advance(left < Step ? left : Step);
        }
    }

    public async Task AdvanceAsync(TimeSpan by) => await AdvanceToAsync(Now + by);

    public async ValueTask DisposeAsync()
    {
        await Job.StopAsync("test over", CancellationToken.None);
        await Job.DisposeAsync();
        await _logs.DisposeAsync();
        await Store.DisposeAsync();
        _logging.Dispose();
        Processes.KillAllMentioning(Dir);
        if (!_ownsDir) return;
        try { Directory.Delete(Dir, recursive: true); }
        catch (IOException) { }
    }
}
