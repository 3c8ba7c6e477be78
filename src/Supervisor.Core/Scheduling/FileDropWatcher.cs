using System.IO.Enumeration;

namespace Supervisor.Core.Scheduling;

/// <summary>
/// Finds new files for an on_file job by polling the folder every <see cref="PollInterval"/>
/// (one listing; no inotify limits, works on network shares). A file is handed over once its
/// size and modification time held still across one poll, so a file that is still being
/// written is not picked up half-written. Files already there at start count as new. A file
/// is handed over once; it becomes eligible again only if it changes (size or mtime) or leaves
/// and comes back. A writer that pauses longer than a poll mid-file should write under another
/// name (<c>x.md.tmp</c>) and rename to <c>x.md</c> when done: the rename is atomic.
/// </summary>
/// <remarks>Not recursive; the pattern is a simple glob (<c>*</c>, <c>?</c>) matched against the file name, case-insensitively.</remarks>
public sealed class FileDropWatcher(string folder, string pattern, TimeProvider time)
{
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);

    private readonly Dictionary<string, (long Size, DateTime Modified)> _pending = new();
    private readonly Dictionary<string, (long Size, DateTime Modified)> _handed = new();

    /// <summary>Polls until cancelled, awaiting <paramref name="onFile"/> for each ready file, in name order.</summary>
    public async Task RunAsync(Func<string, CancellationToken, Task> onFile, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(folder);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            foreach (var path in Poll())
                await onFile(path, cancellationToken);
            await Task.Delay(PollInterval, time, cancellationToken);
        }
    }

    /// <summary>One poll: the files that held still since the previous poll, in name order.</summary>
    public IReadOnlyList<string> Poll()
    {
        var ready = new List<string>();
        FileInfo[] files;
        try
        {
            files = new DirectoryInfo(folder).GetFiles();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Folder gone or unreadable for now: nothing is ready, nothing is forgotten.
            return ready;
        }

        var seen = new HashSet<string>();
        foreach (var file in files)
        {
            if (!FileSystemName.MatchesSimpleExpression(pattern, file.Name)) continue;
            var key = file.FullName;
            (long, DateTime) now;
            try
            {
                // Read from the file itself, not the listing: it may have gone since (moved to done).
                now = (file.Length, file.LastWriteTimeUtc);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                continue;
            }
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
