using System.Globalization;
using Microsoft.Extensions.Logging;
using Supervisor.Core.Config;
using Supervisor.Core.Platform;
using Supervisor.Core.Supervision;

namespace Supervisor.Core.Daemon;

/// <summary>One running app as the journal knows it: its identity and how often it was restarted.</summary>
public sealed record JournalEntry(int Pid, ulong StartTimeTicks, int Restarts);

/// <summary>What a dead daemon left in its journal.</summary>
public sealed record JournalContents(IReadOnlyList<AppSpec> Apps, IReadOnlyList<LoadedFile> Files, IReadOnlyDictionary<string, JournalEntry> Running)
{
    /// <summary>Services that had no child running: backing off, starting, or errored (journal/NAME.state).</summary>
    public IReadOnlyDictionary<string, Supervision.ResumedState> Resumable { get; init; } = new Dictionary<string, Supervision.ResumedState>();
}

/// <summary>
/// What a daemon that dies without a shutdown leaves for the next one: the app set (journal/apps.yaml,
/// in the dump format, written when it changes) and each running app's identity
/// (journal/NAME.run: pid, /proc start time, restarts), written before its PID file is, so the
/// next daemon never meets a PID file naming a process it cannot tell is ours; and where each
/// service with no child stood (journal/NAME.state: waiting until, starting, or errored, with
/// its counts and reason), so a crash-looping app comes back restarting, not stopped. A clean shutdown
/// clears it: after `sup kill` the next daemon starts empty, as before; so does a reboot
/// (journal/boot_id differs), after which the saved set is what comes back.
/// </summary>
public sealed class Journal(SupPaths paths, ILogger log)
{
    private readonly Lock _gate = new();
    private AppSpec[] _written = [];

    private string Dir => paths.JournalDir;
    private string AppsFile => Path.Combine(Dir, "apps.yaml");
    private string RunFile(string name) => Path.Combine(Dir, name + ".run");
    private string StateFile(string name) => Path.Combine(Dir, name + ".state");
    private string BootFile => Path.Combine(Dir, "boot_id");

    /// <summary>This boot's id (random per boot, proc(5)); null where there is none.</summary>
    private static string? BootId()
    {
        try { return File.ReadAllText("/proc/sys/kernel/random/boot_id").Trim(); }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { return null; }
    }

    /// <summary>Rewrites apps.yaml when the set (or any spec) differs from the last one written.</summary>
    public void RecordApps(IReadOnlyList<AppSpec> specs, IReadOnlyList<LoadedFile> files, IReadOnlyDictionary<string, bool> jobsEnabled)
    {
        lock (_gate)
        {
            if (specs.Count == _written.Length && specs.Select((s, i) => ReferenceEquals(s, _written[i])).All(same => same)) return;
            try
            {
                Directory.CreateDirectory(Dir);
                if (_written.Length == 0 && BootId() is { } boot) File.WriteAllText(BootFile, boot + "\n");
                var used = files.Where(f => specs.Any(s => s.SourceFile == f.Path)).ToList();
                AtomicFile.WriteAllText(AppsFile, DumpFile.ToYaml(new SavedAppSet(specs, used), jobsEnabled), durable: false);
                _written = [.. specs];
                // A deleted app's state must not come back with a new app of its name.
                var names = specs.Select(a => a.Name).ToHashSet(StringComparer.Ordinal);
                foreach (var state in Directory.EnumerateFiles(Dir, "*.state"))
                    if (!names.Contains(Path.GetFileNameWithoutExtension(state))) File.Delete(state);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or SupException)
            {
                log.LogWarning("could not write the journal {File}: {Message}", AppsFile, ex.Message);
            }
        }
    }

    public void RecordRunning(string name, int pid, ulong startTimeTicks, int restarts)
    {
        try
        {
            Directory.CreateDirectory(Dir);
            File.WriteAllText(RunFile(name), string.Create(CultureInfo.InvariantCulture, $"{pid} {startTimeTicks} {restarts}\n"));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            log.LogWarning("could not write the journal {File}: {Message}", RunFile(name), ex.Message);
        }
    }

    public void RecordStopped(string name)
    {
        try { File.Delete(RunFile(name)); }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { }
    }

    /// <summary>
    /// A service's status when no child of it runs and it is not at rest: backing off or about to
    /// start (resumed and started by the next daemon), or errored (resumed errored). Any other
    /// status (online: NAME.run says it; stopped) removes the record.
    /// </summary>
    public void RecordStatus(string name, Supervision.AppStatus status, int restarts, int fastCrashes, DateTimeOffset? until, string? reason)
    {
        var file = StateFile(name);
        try
        {
            if (status is not (Supervision.AppStatus.Waiting or Supervision.AppStatus.Starting or Supervision.AppStatus.Errored))
            {
                File.Delete(file);
                return;
            }
            Directory.CreateDirectory(Dir);
            var untilText = until is { } u ? u.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture) : "-";
            File.WriteAllText(file, string.Create(CultureInfo.InvariantCulture,
                $"{status.ToWire()} {restarts} {fastCrashes} {untilText}\n{(reason ?? "").ReplaceLineEndings(" ")}\n"));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            log.LogWarning("could not write the journal {File}: {Message}", file, ex.Message);
        }
    }

    private static Supervision.ResumedState? ParseState(string text)
    {
        var lines = text.Split('\n');
        var parts = lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (lines.Length < 2 || parts.Length != 4) return null;
        Supervision.AppStatus? status = parts[0] switch
        {
            "waiting" => Supervision.AppStatus.Waiting,
            "starting" => Supervision.AppStatus.Starting,
            "errored" => Supervision.AppStatus.Errored,
            _ => null,
        };
        if (status is null || !int.TryParse(parts[1], CultureInfo.InvariantCulture, out var restarts)
            || !int.TryParse(parts[2], CultureInfo.InvariantCulture, out var fast)) return null;
        DateTimeOffset? until = long.TryParse(parts[3], CultureInfo.InvariantCulture, out var ms) ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;
        return new Supervision.ResumedState(status.Value, restarts, fast, until, lines[1]);
    }

    public JournalContents Read()
    {
        var running = new Dictionary<string, JournalEntry>(StringComparer.Ordinal);
        if (!Directory.Exists(Dir)) return new JournalContents([], [], running);
        if (File.Exists(BootFile) && BootId() is { } boot && File.ReadAllText(BootFile).Trim() != boot)
        {
            // A reboot is not a daemon death: what comes back then is the saved set (`sup save`,
            // the boot unit's --resurrect), as in PM2; nothing of the old boot runs any more.
            log.LogInformation("the journal {Dir} is from before a reboot; ignored (the saved set is what a boot brings back)", Dir);
            Clear();
            return new JournalContents([], [], running);
        }
        foreach (var file in Directory.EnumerateFiles(Dir, "*.run"))
        {
            try
            {
                var parts = File.ReadAllText(file).Split(' ', StringSplitOptions.TrimEntries);
                if (parts.Length == 3 && int.TryParse(parts[0], CultureInfo.InvariantCulture, out var pid)
                    && ulong.TryParse(parts[1], CultureInfo.InvariantCulture, out var start)
                    && int.TryParse(parts[2], CultureInfo.InvariantCulture, out var restarts))
                    running[Path.GetFileNameWithoutExtension(file)] = new JournalEntry(pid, start, restarts);
            }
            catch (IOException) { }
        }

        var resumable = new Dictionary<string, Supervision.ResumedState>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(Dir, "*.state"))
        {
            try
            {
                if (ParseState(File.ReadAllText(file)) is { } state) resumable[Path.GetFileNameWithoutExtension(file)] = state;
            }
            catch (IOException) { }
        }

        if (!File.Exists(AppsFile)) return new JournalContents([], [], running);
        try
        {
            var set = DumpFile.Read(AppsFile, new LoadOptions(), paths.Home);
            return new JournalContents(set.Apps, set.Files, running) { Resumable = resumable };
        }
        catch (SupException ex)
        {
            log.LogError("the journal {File} could not be read ({Message}); the apps it names are not restored{Details}", AppsFile, ex.Message,
                string.Concat(ex.Details.Select(d => Environment.NewLine + "  " + d)));
            return new JournalContents([], [], running);
        }
    }

    /// <summary>After a clean shutdown: nothing is left running, and nothing is to be restored.</summary>
    public void Clear()
    {
        lock (_gate)
        {
            try { if (Directory.Exists(Dir)) Directory.Delete(Dir, recursive: true); }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                log.LogWarning("could not clear the journal {Dir}: {Message}", Dir, ex.Message);
            }
            _written = [];
        }
    }
}
