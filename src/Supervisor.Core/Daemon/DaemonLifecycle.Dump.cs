using Microsoft.Extensions.Logging;
using Supervisor.Core.Config;
using Supervisor.Core.Protocol;

namespace Supervisor.Core.Daemon;

public sealed partial class DaemonLifecycle
{
    /// <summary>`sup save`: every app's resolved spec (env included) and each job's enabled flag, to dump.yaml.</summary>
    /// <param name="force">Save even an empty set (which would make a resurrect start nothing).</param>
    public SaveResult Save(bool force)
    {
        var apps = _registry.All;
        if (apps.Count == 0 && !force)
            throw new SupException(SupError.Conflict,
                $"There are no apps to save, so {_paths.DumpFile} was left as it is. `sup save --force` saves an empty set.");

        // The runtime flag (sup enable/disable) is the truth; the spec's flag only seeded it.
        var specs = apps.Select(a => a.Spec.Job is { } job ? a.Spec with { Job = job with { Enabled = true } } : a.Spec).ToList();
        var files = Files.All.Where(f => specs.Any(s => s.SourceFile == f.Path)).ToList();
        var backedUp = DumpFile.Write(_paths.DumpFile, new SavedAppSet(specs, files), JobsEnabled(), new LoadOptions());
        _log.LogInformation("saved {Count} app(s) to {File}{Backup}", specs.Count, _paths.DumpFile,
            backedUp ? $" (previous kept as {DumpFile.BackupOf(_paths.DumpFile)})" : "");
        return new SaveResult
        {
            File = _paths.DumpFile,
            Backup = backedUp ? DumpFile.BackupOf(_paths.DumpFile) : null,
            Apps = specs.Select(s => s.Name).ToList(),
        };
    }

    /// <summary>
    /// `sup resurrect`: registers the saved apps the daemon does not know yet and starts those the
    /// user did not stop. Apps it already knows are left exactly as they are (never started twice,
    /// never reverted to the saved spec); nothing is deleted.
    /// </summary>
    public async Task<ResurrectResult> ResurrectAsync(CancellationToken cancellationToken)
    {
        await _resurrecting.WaitAsync(cancellationToken);
        try
        {
            var saved = DumpFile.Read(_paths.DumpFile, new LoadOptions());
            var present = new List<string>();
            var keepStopped = new List<(AppSpec Real, AppSpec Applied)>();
            var missing = new List<AppSpec>();
            foreach (var spec in saved.Apps)
            {
                if (_registry.Find(spec.Name) is not null)
                {
                    present.Add(spec.Name);
                    continue;
                }

                // Registered without starting: autostart off for the apply only (see below).
                if (Desired.WantsStopped(spec.Name) && spec.Autostart)
                {
                    var applied = spec with { Autostart = false };
                    keepStopped.Add((spec, applied));
                    missing.Add(applied);
                }
                else missing.Add(spec);
            }

            // Through the registry, like a file, in the saved order: starts run in parallel, and an
            // app that appeared meanwhile is compared instead of added twice. onlySubset: nothing
            // counts as removed.
            var plan = await _registry.ApplyAsync(new Ecosystem(_paths.DumpFile, missing, [], false), removeMissing: false, onlySubset: true, cancellationToken);
            // Give the kept-stopped apps their real spec back: a spec swap does not start an app
            // that is down, and a later save must not write autostart: false.
            foreach (var (real, applied) in keepStopped)
                if (_registry.Find(real.Name) is { } app && ReferenceEquals(app.Spec, applied))
                    await app.UpdateAsync(real, "resurrected stopped (stopped by user)", cancellationToken);
            // A file loaded since the save knows better how it was loaded (its profile may have changed).
            foreach (var file in saved.Files)
                if (Files.Find(file.Path) is null) await Files.RememberAsync(file);

            var result = new ResurrectResult
            {
                File = _paths.DumpFile,
                // Restarted: appeared (from a file) while this ran and was given the saved spec.
                Started = [.. plan.Started, .. plan.Restarted.Select(r => r.Name)],
                Stopped = plan.Unchanged,
                AlreadyPresent = present,
                Warnings = plan.Warnings,
            };
            _log.LogInformation("resurrected from {File}: started {Started}; kept stopped {Stopped}; already present {Present}",
                _paths.DumpFile, List(result.Started), List(result.Stopped), List(result.AlreadyPresent));
            return result;
        }
        finally
        {
            _resurrecting.Release();
        }
    }

    /// <summary>`sup daemon --resurrect` (what the boot unit runs): a missing or broken dump is logged, never fatal.</summary>
    public async Task ResurrectAtStartAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists(_paths.DumpFile))
        {
            _log.LogInformation("--resurrect: there is no {File} yet (`sup save` writes it); starting with no apps", _paths.DumpFile);
            return;
        }

        try
        {
            await ResurrectAsync(cancellationToken);
        }
        catch (SupException ex)
        {
            _log.LogError("--resurrect: {Message}{Details}", ex.Message,
                string.Concat(ex.Details.Select(d => Environment.NewLine + "  " + d)));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutdown asked for while resurrecting: the shutdown stops whatever did start.
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A bug of ours must not turn a boot unit into a crash loop: the daemon serves on.
            _log.LogError(ex, "--resurrect failed unexpectedly; the daemon runs on without the saved set");
        }
    }

    private static string List(IReadOnlyList<string> names) => names.Count == 0 ? "none" : string.Join(", ", names);
}
