namespace Supervisor.Core.Logs;

public sealed partial class RotatingLogFile
{
    // After a failed rotation (say a rename refused), the file grows past MaxSize and rotation is
    // tried again once it has grown by another MaxSize, rather than before every line.
    private long _rotationRetryAt;

    private bool RotationEnabled => _options.MaxSize > 0 && _length >= _rotationRetryAt;

    /// <summary>
    /// The longest run of whole lines from the start of <paramref name="lines"/> that fits in the
    /// live file, rotating first when not even one line fits.
    /// </summary>
    private ReadOnlyMemory<byte> TakePieceRotatingIfNeeded(ReadOnlyMemory<byte> lines)
    {
        if (!RotationEnabled)
        {
            return lines;
        }
        var fit = WholeLinesThatFit(lines.Span, _options.MaxSize - _length);
        if (fit == 0 && _length > 0)
        {
            Rotate();
            if (!RotationEnabled)
            {
                return lines;
            }
            fit = WholeLinesThatFit(lines.Span, _options.MaxSize - _length);
        }
        if (fit > 0)
        {
            return lines[..fit];
        }
        // A single line longer than MaxSize: written whole, the file rotates right after.
        var newline = lines.Span.IndexOf((byte)'\n');
        return newline < 0 ? lines : lines[..(newline + 1)];
    }

    private static int WholeLinesThatFit(ReadOnlySpan<byte> lines, long room)
    {
        if (room <= 0)
        {
            return 0;
        }
        if (lines.Length <= room)
        {
            return lines.Length;
        }
        return lines[..(int)room].LastIndexOf((byte)'\n') + 1;
    }

    private void RotateIfFull()
    {
        if (RotationEnabled && _length >= _options.MaxSize)
        {
            Rotate();
        }
    }

    private void Rotate()
    {
        // Closed first: Windows cannot rename a file this process holds open without delete sharing everywhere.
        _handle?.Dispose();
        _handle = null;
        string? rotatedPath = null;
        var rotated = false;
        try
        {
            rotatedPath = _dated is not null ? _dated.Rotate(LogPeriod.Label(_period, _options.Rotation)) : _rotated.Rotate();
            rotated = true;
            _rotationRetryAt = 0;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            ReportError("rotate", ex);
        }
        _handle = TryOpen();
        if (!rotated)
        {
            _rotationRetryAt = _length + _options.MaxSize;
            return;
        }
        if (_handle is null)
        {
            Volatile.Write(ref _length, 0);
        }
        try
        {
            Rotated?.Invoke(this, new LogRotatedEventArgs(rotatedPath, _time.GetLocalNow()));
        }
        catch (Exception ex)
        {
            // A subscriber's bug must not stop the app's output from being captured.
            ReportError("rotate", ex);
        }
    }
}
