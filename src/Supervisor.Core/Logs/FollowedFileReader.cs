using Microsoft.Win32.SafeHandles;

namespace Supervisor.Core.Logs;

/// <summary>Reads the complete lines of a growing file from an offset, leaving an unfinished last line for later.</summary>
internal sealed class FollowedFileReader
{
    private const int InitialBlockSize = 64 * 1024;

    // A line longer than this without a newline is shown in pieces, as the pump splits it too.
    private const int MaxBlockSize = OutputPump.MaxLineLength * 2;

    private byte[] _block = new byte[InitialBlockSize];

    /// <summary>
    /// Lines between <paramref name="offset"/> and <paramref name="end"/>; moves <paramref name="offset"/>
    /// past the last newline read. With <paramref name="atEnd"/> an unfinished last line is taken too.
    /// </summary>
    public List<string> ReadCompleteLines(SafeFileHandle handle, ref long offset, long end, bool atEnd)
    {
        var lines = new List<string>();
        while (offset < end)
        {
            var want = (int)Math.Min(_block.Length, end - offset);
            var read = RandomAccess.Read(handle, _block.AsSpan(0, want), offset);
            if (read == 0)
            {
                break; // Truncated since the length was read.
            }
            var span = _block.AsSpan(0, read);
            var complete = span.LastIndexOf((byte)'\n') + 1;
            if (complete == 0)
            {
                if (read == _block.Length && _block.Length < MaxBlockSize)
                {
                    _block = new byte[_block.Length * 2];
                    continue;
                }
                if (read < _block.Length && !atEnd)
                {
                    break; // The rest of this line has not been written yet.
                }
                complete = read;
            }
            Utf8Lines.AddAll(span[..complete], lines.Add);
            offset += complete;
        }
        return lines;
    }
}
