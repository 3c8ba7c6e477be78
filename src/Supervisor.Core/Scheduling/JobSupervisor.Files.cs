using Supervisor.Core.Config;

namespace Supervisor.Core.Scheduling;

/// <summary>
/// The trigger of an on_file job: one run per new, stable file, at most `concurrency` at a
/// time. A file waits for a free slot; it is never dropped.
/// </summary>
public sealed partial class JobSupervisor
{
    // One set of slots per spec, kept across re-arms (disable/enable), so runs still going from
    // before count against the limit too. Each run releases the slots it took.
    private SemaphoreSlim? _fileSlots;
    private int _fileSlotsFor;

    private async Task WatchFilesAsync(OnFileSpec onFile, CancellationToken cancellationToken)
    {
        var concurrency = Math.Max(1, _spec.Job!.Concurrency);
        if (_fileSlots is null || _fileSlotsFor != concurrency)
        {
            _fileSlots = new SemaphoreSlim(concurrency, concurrency);
            _fileSlotsFor = concurrency;
        }
        var slots = _fileSlots;
        var watcher = new FileDropWatcher(onFile.Path, onFile.Pattern, _context.Time);
        try
        {
            await watcher.RunAsync(async (path, ct) =>
            {
                await slots.WaitAsync(ct);
                // The command owns the slot from here: it starts the run (which releases it at
                // its end) or gives it back, even if this loop was cancelled meanwhile.
                await _commands.RunAsync(() =>
                {
                    // A file can be offered again while a run from before a disable/enable still
                    // has it, or after that run moved it away: one run per file at a time.
                    var taken = Array.Exists(_active, r => r.File == path) || !File.Exists(path);
                    if (ct.IsCancellationRequested || taken || !TryBeginRun("file", path, slots)) slots.Release();
                    return Task.CompletedTask;
                }).WaitAsync(ct);
            }, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            await TriggerFailedAsync(ex, cancellationToken);
        }
    }
}
