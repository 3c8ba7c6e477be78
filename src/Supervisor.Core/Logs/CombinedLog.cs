using System.Threading.Channels;

namespace Supervisor.Core.Logs;

/// <summary>
/// PM2's log_file: every line of both streams, in the order the pumps see them, in a third
/// file. The pumps show each line (<see cref="Add"/>, which must not block); a task of its own
/// writes them, so a slow combined file never holds up the app's own two.
/// </summary>
internal sealed class CombinedLog : IAsyncDisposable
{
    private readonly RotatingLogFile _file;
    private readonly LinePrefixer? _prefixer;
    private readonly Channel<byte[]> _lines = Channel.CreateUnbounded<byte[]>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _writing;

    public CombinedLog(RotatingLogFile file, LinePrefixer? prefixer)
    {
        _file = file;
        _prefixer = prefixer;
        _writing = Task.Run(WriteAsync);
    }

    public RotatingLogFile File => _file;

    /// <summary>One line, without its newline.</summary>
    public void Add(ReadOnlyMemory<byte> line)
    {
        var prefix = _prefixer?.Current() ?? ReadOnlyMemory<byte>.Empty;
        var bytes = new byte[prefix.Length + line.Length + 1];
        prefix.Span.CopyTo(bytes);
        line.Span.CopyTo(bytes.AsSpan(prefix.Length));
        bytes[^1] = (byte)'\n';
        _lines.Writer.TryWrite(bytes);
    }

    private async Task WriteAsync()
    {
        await foreach (var line in _lines.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            await _file.WriteAsync(line, CancellationToken.None).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _lines.Writer.TryComplete();
        await _writing.ConfigureAwait(false);
        await SharedLogFiles.ReleaseAsync(_file).ConfigureAwait(false);
    }
}
