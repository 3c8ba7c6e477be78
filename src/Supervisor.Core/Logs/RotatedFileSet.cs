using System.IO.Compression;

namespace Supervisor.Core.Logs;

/// <summary>
/// The rotated files of one log (<c>.1</c> newest ... <c>.Retain</c> oldest): shifting them on
/// rotation, pruning past the retain count, and gzipping them on a background task.
/// </summary>
/// <remarks>
/// The in-memory list is the truth while the process runs; every rename and delete happens
/// under one lock, so the compressor (which works on a file whose number keeps shifting) always
/// finds where its file is now. A crash can leave a gap in the numbers, a file both plain and
/// compressed, or a half-written temp file; <see cref="Recover"/> repairs all three on start.
/// </remarks>
internal sealed class RotatedFileSet
{
    private readonly string _path;
    private readonly int _retain;
    private readonly bool _compress;
    private readonly Action<Exception, string> _onError;
    private readonly Lock _sync = new();

    // _entries[0] is ".1".
    private readonly List<Entry> _entries = [];
    private Task _compressor = Task.CompletedTask;
    private bool _compressorRunning;

    public RotatedFileSet(string path, int retain, bool compress, Action<Exception, string> onError)
    {
        _path = path;
        _retain = Math.Max(0, retain);
        _compress = compress;
        _onError = onError;
    }

    private string TempGzPath => _path + ".gz-tmp";

    public int Count
    {
        get { lock (_sync) { return _entries.Count; } }
    }

    /// <summary>
    /// Reads what is on disk and repairs what an interrupted rotation or compression left:
    /// renumbers to 1..n keeping the order, drops files past the retain count, and queues plain
    /// files for compression.
    /// </summary>
    public void Recover()
    {
        lock (_sync)
        {
            RecoverCore();
            StartCompressorIfNeeded();
        }
    }

    private void RecoverCore()
    {
        foreach (var entry in _entries)
        {
            entry.Dropped = true;
        }
        _entries.Clear();
        TryDelete(TempGzPath);
        var found = RotatedFileName.Find(_path).GroupBy(f => f.Index).OrderBy(g => g.Key);
        foreach (var sameIndex in found)
        {
            // Both forms only exist when the process died between renaming the finished .gz
            // into place and deleting the plain file: the .gz is complete, the plain redundant.
            var compressed = sameIndex.Any(f => f.Compressed);
            if (compressed)
            {
                foreach (var plain in sameIndex.Where(f => !f.Compressed))
                {
                    TryDelete(plain.Path);
                }
            }
            var position = _entries.Count;
            var entry = new Entry { Compressed = compressed };
            if (sameIndex.Key != position + 1)
            {
                // Moving down to the first free number never overwrites: lower ones are taken
                // only by files already placed.
                File.Move(RotatedFileName.For(_path, sameIndex.Key, compressed), PathOf(position, compressed));
            }
            _entries.Add(entry);
        }
        Prune(_retain);
    }

    /// <summary>
    /// Moves the (closed) live file to <c>.1</c>, shifting the others up and deleting what falls
    /// past the retain count. Returns the new <c>.1</c>, or null when nothing is retained.
    /// </summary>
    public string? Rotate()
    {
        lock (_sync)
        {
            if (_retain == 0)
            {
                File.Delete(_path);
                return null;
            }
            try
            {
                Prune(_retain - 1);
                // Highest first, so every rename goes to a free name and a crash leaves at most a gap.
                for (var i = _entries.Count - 1; i >= 0; i--)
                {
                    var compressed = _entries[i].Compressed;
                    File.Move(PathOf(i, compressed), PathOf(i + 1, compressed), overwrite: true);
                }
                _entries.Insert(0, new Entry());
                File.Move(_path, PathOf(0, false), overwrite: true);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Half-shifted: rebuild the list from the disk, as after a crash.
                RecoverCore();
                throw;
            }
            finally
            {
                StartCompressorIfNeeded();
            }
            return PathOf(0, false);
        }
    }

    /// <summary>Deletes every rotated file (used by flush).</summary>
    public void DeleteAll()
    {
        lock (_sync)
        {
            Prune(0);
        }
    }

    /// <summary>Completes when the background compressor has nothing left to do.</summary>
    public Task WhenIdleAsync()
    {
        lock (_sync)
        {
            return _compressor;
        }
    }

    private string PathOf(int position, bool compressed) => RotatedFileName.For(_path, position + 1, compressed);

    private void Prune(int keep)
    {
        for (var i = _entries.Count - 1; i >= keep; i--)
        {
            // A file being compressed is deleted too; the compressor sees Dropped and discards its result.
            TryDelete(PathOf(i, _entries[i].Compressed));
            _entries[i].Dropped = true;
            _entries.RemoveAt(i);
        }
    }

    private void StartCompressorIfNeeded()
    {
        if (!_compress || _compressorRunning || !_entries.Exists(NeedsCompression))
        {
            return;
        }
        _compressorRunning = true;
        _compressor = Task.Run(CompressPendingAsync);
    }

    private async Task CompressPendingAsync()
    {
        while (true)
        {
            Entry entry;
            FileStream source;
            lock (_sync)
            {
                // Newest first: when rotation outruns compression, the oldest are the next to be deleted anyway.
                var position = _entries.FindIndex(NeedsCompression);
                if (position < 0)
                {
                    _compressorRunning = false;
                    return;
                }
                entry = _entries[position];
                try
                {
                    // Opened under the lock: once released, a rotation may give this number to another file.
                    // Delete sharing lets rotation rename or prune it while we read (needed on Windows).
                    source = new FileStream(PathOf(position, false), FileMode.Open, FileAccess.Read,
                        FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.SequentialScan);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    entry.Failed = true;
                    _onError(ex, "compress");
                    continue;
                }
            }
            await CompressOneAsync(entry, source).ConfigureAwait(false);
        }
    }

    private async Task CompressOneAsync(Entry entry, FileStream source)
    {
        try
        {
            await using (source.ConfigureAwait(false))
            {
                // CreateNew (O_EXCL) never follows a symlink someone planted at the temp name.
                TryDelete(TempGzPath);
                var target = new FileStream(TempGzPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1);
                await using (target.ConfigureAwait(false))
                {
                    // Fastest: a noisy app can rotate every few seconds, and logs compress well even so.
                    var gzip = new GZipStream(target, CompressionLevel.Fastest, leaveOpen: true);
                    await using (gzip.ConfigureAwait(false))
                    {
                        await source.CopyToAsync(gzip, 128 * 1024).ConfigureAwait(false);
                    }
                    // On disk before the plain file is deleted, or a power cut could lose both.
                    target.Flush(flushToDisk: true);
                }
            }
            lock (_sync)
            {
                if (entry.Dropped)
                {
                    TryDelete(TempGzPath);
                    return;
                }
                var position = _entries.IndexOf(entry);
                File.Move(TempGzPath, PathOf(position, true), overwrite: true);
                entry.Compressed = true;
                TryDelete(PathOf(position, false));
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            lock (_sync)
            {
                entry.Failed = true;
                TryDelete(TempGzPath);
            }
            _onError(ex, "compress");
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Left behind: a later prune or Recover tries again.
        }
    }

    private static bool NeedsCompression(Entry entry) => !entry.Compressed && !entry.Failed;

    private sealed class Entry
    {
        public bool Compressed;
        public bool Dropped;
        public bool Failed;
    }
}
