using System.IO.Pipes;
using Microsoft.Win32.SafeHandles;

namespace Supervisor.Tests.Logs;

/// <summary>A real OS pipe inside the test process: write to <see cref="Writer"/>, pump <see cref="Reader"/>.</summary>
internal sealed class TestPipe : IDisposable
{
    public TestPipe()
    {
        var server = new AnonymousPipeServerStream(PipeDirection.Out);
        Writer = server;
        ReadHandle = server.ClientSafePipeHandle;
        Reader = new AnonymousPipeClientStream(PipeDirection.In, ReadHandle);
    }

    /// <summary>The read end itself, for PipeOutputPump (the same pipe as <see cref="Reader"/>).</summary>
    public SafePipeHandle ReadHandle { get; }

    public Stream Writer { get; }

    public Stream Reader { get; }

    /// <summary>Writes <paramref name="bytes"/> in pieces of random size (split anywhere, mid-line included).</summary>
    public async Task WriteInRandomPiecesAsync(byte[] bytes, Random random, int maxPiece = 9000)
    {
        for (var at = 0; at < bytes.Length;)
        {
            var size = Math.Min(random.Next(1, maxPiece), bytes.Length - at);
            await Writer.WriteAsync(bytes.AsMemory(at, size));
            at += size;
        }
    }

    /// <summary>Closes the write end: the reader sees the end of the stream.</summary>
    public void CloseWriter() => Writer.Dispose();

    public void Dispose()
    {
        Writer.Dispose();
        Reader.Dispose();
    }
}
