using System.Globalization;
using System.IO.Compression;
using System.Text.RegularExpressions;

namespace Supervisor.Core.Logs;

/// <summary>
/// The closed files of a log under `log_rotate`: <c>web-out.log</c> (live) becomes
/// <c>web-out-2026-12-03.log</c> when its day ends; a day that also hit log_max_size has more
/// pieces, <c>web-out-2026-12-03.1.log</c>, <c>.2.log</c> ... in the order written; gzipped ones
/// end in <c>.gz</c>. Retain counts these files, the oldest are deleted first.
/// </summary>
/// <remarks>
/// The live file keeps its name, so `sup logs`, `sup flush`, followers and the splice pump
/// work on it as without dated rotation. Files are found on disk at each rotation (a handful per
/// retain), so a crash between the rename and the prune is repaired by the next rotation.
/// </remarks>
internal sealed partial class DatedFileSet(string path, int retain, bool compress, Action<Exception, string> onError)
{
    private readonly Lock _sync = new();
    private Task _compressor = Task.CompletedTask;

    /// <summary>Deletes a half-written .gz a crash left, prunes past retain, and gzips what was not yet.</summary>
    public void Recover()
    {
        lock (_sync)
        {
            if (Directory.Exists(Folder))
                foreach (var leftover in Directory.EnumerateFiles(Folder, Stem + "-*.gz-tmp")) TryDelete(leftover);
            Prune(retain);
            if (compress)
                foreach (var file in Find(path).Where(f => !f.Compressed)) QueueCompression(file.Path);
        }
    }

    /// <summary>
    /// Moves the (closed) live file to the next free name of <paramref name="label"/>'s period.
    /// Returns that name, or null when nothing is retained (the file is deleted).
    /// </summary>
    public string? Rotate(string label)
    {
        lock (_sync)
        {
            if (retain == 0)
            {
                File.Delete(path);
                return null;
            }
            var taken = Find(path).Where(f => f.Label == label).Select(f => f.Index).ToHashSet();
            var index = 0;
            while (taken.Contains(index)) index++;
            var target = NameFor(path, label, index);
            File.Move(path, target);
            Prune(retain);
            if (compress) QueueCompression(target);
            return target;
        }
    }

    /// <summary>Deletes every dated file (flush).</summary>
    public void DeleteAll()
    {
        lock (_sync) Prune(0);
    }

    public Task WhenIdleAsync()
    {
        lock (_sync) return _compressor;
    }

    /// <summary>The dated files of <paramref name="logPath"/> on disk, oldest first (the .gz when both forms exist).</summary>
    public static IReadOnlyList<DatedFile> Find(string logPath)
    {
        var folder = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(logPath))!;
        if (!Directory.Exists(folder)) return [];
        var (stem, extension) = Split(logPath);
        var found = new List<DatedFile>();
        foreach (var file in Directory.EnumerateFiles(folder, stem + "-*"))
        {
            var name = System.IO.Path.GetFileName(file);
            var compressed = name.EndsWith(".gz", StringComparison.Ordinal);
            var core = compressed ? name[..^3] : name;
            if (!core.EndsWith(extension, StringComparison.Ordinal) || core.Length < stem.Length + 1 + extension.Length) continue;
            var middle = core[(stem.Length + 1)..^extension.Length];
            var match = DatedPart().Match(middle);
            if (!match.Success) continue;
            var index = match.Groups[2].Success ? int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture) : 0;
            found.Add(new DatedFile(file, match.Groups[1].Value, index, compressed));
        }
        return found
            .GroupBy(f => (f.Label, f.Index))
            .Select(same => same.OrderByDescending(f => f.Compressed).First())
            .OrderBy(f => f.Label, StringComparer.Ordinal).ThenBy(f => f.Index)
            .ToList();
    }

    /// <summary><c>web-out.log</c> + 2026-12-03 + 1 → <c>web-out-2026-12-03.1.log</c> (index 0 has no number).</summary>
    public static string NameFor(string logPath, string label, int index)
    {
        var (stem, extension) = Split(logPath);
        var number = index == 0 ? "" : "." + index.ToString(CultureInfo.InvariantCulture);
        return System.IO.Path.Combine(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(logPath))!, $"{stem}-{label}{number}{extension}");
    }

    private string Folder => System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!;
    private string Stem => Split(path).Stem;

    private static (string Stem, string Extension) Split(string logPath)
    {
        var name = System.IO.Path.GetFileName(logPath);
        var extension = System.IO.Path.GetExtension(name);
        return (name[..^extension.Length], extension);
    }

    private void Prune(int keep)
    {
        var files = Find(path);
        for (var i = 0; i < files.Count - keep; i++)
        {
            TryDelete(files[i].Path);
            // A plain file beside its .gz (a compression under way) goes too.
            if (files[i].Compressed) TryDelete(files[i].Path[..^3]);
        }
    }

    private void QueueCompression(string file)
    {
        _compressor = _compressor.ContinueWith(_ => Compress(file), CancellationToken.None,
            TaskContinuationOptions.None, TaskScheduler.Default);
    }

    private void Compress(string file)
    {
        var temp = file + ".gz-tmp";
        try
        {
            using (var source = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.SequentialScan))
            using (var target = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1))
            {
                using (var gzip = new GZipStream(target, CompressionLevel.Fastest, leaveOpen: true))
                    source.CopyTo(gzip, 128 * 1024);
                target.Flush(flushToDisk: true);
            }
            lock (_sync)
            {
                if (!File.Exists(file))
                {
                    TryDelete(temp); // pruned meanwhile
                    return;
                }
                File.Move(temp, file + ".gz", overwrite: true);
                TryDelete(file);
            }
        }
        catch (FileNotFoundException)
        {
            TryDelete(temp);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            TryDelete(temp);
            onError(ex, "compress");
        }
    }

    private static void TryDelete(string file)
    {
        try
        {
            File.Delete(file);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Left behind: the next prune tries again.
        }
    }

    // "2026-12-03", "2026-12-03-14", then an optional ".N".
    [GeneratedRegex(@"^(\d{4}-\d{2}-\d{2}(?:-\d{2})?)(?:\.([1-9]\d{0,8}))?$", RegexOptions.CultureInvariant)]
    private static partial Regex DatedPart();
}

/// <param name="Index">0 for the first piece of its period, then 1, 2 ... for pieces cut by log_max_size.</param>
internal sealed record DatedFile(string Path, string Label, int Index, bool Compressed);
