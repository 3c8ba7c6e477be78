using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using Supervisor.Core.Platform;

namespace Supervisor.Core.Logs;

public sealed partial class RotatingLogFile
{
    /// <summary>
    /// Appends <paramref name="lines"/> like <see cref="WriteAsync"/>, but takes the bytes from
    /// the front of pipe <paramref name="pipeFd"/>, where they still are (the caller only peeked
    /// at them): splice(2) moves them into the file and out of the pipe in one step, so a daemon
    /// killed at any moment has each byte either in the file or still in the pipe, never neither
    /// nor both. Dropped lines (the file cannot be written) are taken out of the pipe too.
    /// </summary>
    /// <param name="lines">The same bytes as the pipe's first ones, to find line ends and rotation points.</param>
    /// <exception cref="IOException">Dropped bytes could not be taken out of the pipe.</exception>
    [SupportedOSPlatform("linux")]
    public ValueTask MoveFromPipeAsync(ReadOnlyMemory<byte> lines, int pipeFd, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(pipeFd);
        return WriteCoreAsync(lines, pipeFd, ct);
    }

    [SupportedOSPlatform("linux")]
    private void MoveToFile(ReadOnlyMemory<byte> piece, int pipeFd)
    {
        _handle ??= TryOpen();
        if (_handle is null)
        {
            PipePeek.Consume(pipeFd, piece.Length);
            Drop(piece, null);
            return;
        }
        long end;
        try
        {
            end = RandomAccess.GetLength(_handle);
        }
        catch (IOException ex)
        {
            PipePeek.Consume(pipeFd, piece.Length);
            Drop(piece, ex);
            return;
        }
        var (moved, errno) = PipePeek.MoveToFile(pipeFd, (int)_handle.DangerousGetHandle(), end, piece.Length);
        if (moved == piece.Length)
        {
            _pages.Reset(end + moved);
            Volatile.Write(ref _length, end + moved);
            if (_failing)
            {
                EndFailureStreak();
            }
            return;
        }

        // Disk full midway: what was moved is out of the pipe already, so it is cut back and
        // counted with the rest as dropped, and the file keeps whole lines only.
        PipePeek.Consume(pipeFd, piece.Length - moved);
        var kept = TryCutBack(_handle, end) ? end : TryGetLength(_handle);
        _pages.Reset(kept);
        Volatile.Write(ref _length, kept);
        Drop(piece, new IOException($"Cannot write '{Path}': {Marshal.GetPInvokeErrorMessage(errno)}."));
    }
}
