using System.IO.Enumeration;

namespace Supervisor.Core.Scheduling;

/// <summary>
/// Finds new files for an on_file job. Polls the folder (cheap: one listing) and hands over a
/// file only once its size and modification time held still across a poll, so a file that is
/// still being written is never picked up half-written. Files already there at start count as
/// new. A file is handed over once; it becomes eligible again only if it changes.
/// (Writers that want an instant pickup can write `x.tmp` and rename to `x.md`.)
/// </summary>
public sealed class FileDropWatcher(string folder, string pattern, TimeProvider time)
{
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);

    private readonly Dictionary<string, (long Size, DateTime Modified)> _pending = new();
    private readonly Dictionary<string, (long Size, DateTime Modified)> _handed = new();

    public async Task RunAsync(Func<string, CancellationToken, Task> onFile, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(folder);
        while (!cancellationToken.IsCancellationRequested)
        {
            foreach (var path in Poll())
                await onFile(path, cancellationToken);
            await Task.Delay(PollInterval, time, cancellationToken);
        }
    }

    /// <summary>One poll: the files that became stable since the previous poll.</summary>
    public IReadOnlyList<string> Poll()
    {
        var ready = new List<string>();
        var seen = new HashSet<string>();
        IEnumerable<FileInfo> files;
        try { files = new DirectoryInfo(folder).EnumerateFiles(); }
        catch (DirectoryNotFoundException) { return ready; }

        foreach (var file in files)
        {
            if (!FileSystemName.MatchesSimpleExpression(pattern, file.Name)) continue;
            var key = file.FullName;
            var now = (file.Length, file.LastWriteTimeUtc);
            seen.Add(key);
            if (_handed.TryGetValue(key, out var handed) && handed == now) continue;
            if (_pending.TryGetValue(key, out var before) && before == now)
            {
                _pending.Remove(key);
                _handed[key] = now;
                ready.Add(key);
            }
            else _pending[key] = now;
        }

        foreach (var gone in _pending.Keys.Where(k => !seen.Contains(k)).ToList()) _pending.Remove(gone);
        foreach (var gone in _handed.Keys.Where(k => !seen.Contains(k)).ToList()) _handed.Remove(gone);
        ready.Sort(StringComparer.Ordinal);
        return ready;
    }
}
