using System.Text;
using Supervisor.Core.Rpc;
using Xunit;

namespace Supervisor.Tests.Rpc;

public sealed class FrameWriterTests
{
    [Fact]
    public async Task A_frame_is_the_content_length_header_and_the_body_in_one_write()
    {
        var stream = new WriteCountingStream();

        await FrameWriter.WriteFrameAsync(stream, Encoding.UTF8.GetBytes("{\"é\":1}"), CancellationToken.None);

        Assert.Equal("Content-Length: 8\r\n\r\n{\"é\":1}", Encoding.UTF8.GetString(stream.ToArray()));
        Assert.Equal(1, stream.Writes);
    }

    [Fact]
    public async Task Written_frames_read_back_through_the_frame_reader()
    {
        var stream = new WriteCountingStream();
        string big = new('y', 100_000);
        await FrameWriter.WriteFrameAsync(stream, Encoding.UTF8.GetBytes("[]"), CancellationToken.None);
        await FrameWriter.WriteFrameAsync(stream, Encoding.UTF8.GetBytes(big), CancellationToken.None);

        using var reader = new FrameReader(new MemoryStream(stream.ToArray()));

        Assert.Equal("[]", Encoding.UTF8.GetString((await reader.ReadFrameAsync(CancellationToken.None))!.Value.Span));
        Assert.Equal(big, Encoding.UTF8.GetString((await reader.ReadFrameAsync(CancellationToken.None))!.Value.Span));
    }

    /// <summary>Records each write separately, so a frame split over two writes shows.</summary>
    private sealed class WriteCountingStream : Stream
    {
        private readonly MemoryStream _written = new();

        public int Writes { get; private set; }

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => _written.Length;

        public override long Position { get => _written.Position; set => throw new NotSupportedException(); }

        public byte[] ToArray() => _written.ToArray();

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Writes++;
            _written.Write(buffer.Span);
            return ValueTask.CompletedTask;
        }

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("Frames are written asynchronously.");

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
