using System.Text;
using Supervisor.Core.Rpc;
using Xunit;

namespace Supervisor.Tests.Rpc;

public sealed class FrameReaderTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(7)]
    [InlineData(4096)]
    public async Task Frames_are_read_whatever_size_the_reads_come_in(int chunk)
    {
        using var reader = Reader(Frame("{\"a\":1}") + Frame("[]") + Frame("{\"text\":\"café\"}"), chunk);

        Assert.Equal("{\"a\":1}", await ReadTextAsync(reader));
        Assert.Equal("[]", await ReadTextAsync(reader));
        Assert.Equal("{\"text\":\"café\"}", await ReadTextAsync(reader));
        Assert.Null(await reader.ReadFrameAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_frame_larger_than_the_read_buffer_is_read_whole()
    {
        string big = "\"" + new string('x', 200_000) + "\"";
        using var reader = Reader(Frame(big) + Frame("1"), chunk: 65536);

        Assert.Equal(big, await ReadTextAsync(reader));
        Assert.Equal("1", await ReadTextAsync(reader));
    }

    [Fact]
    public async Task Header_names_are_case_insensitive_values_trimmed_and_unknown_headers_ignored()
    {
        using var reader = Reader("X-Unknown: yes\r\ncontent-LENGTH:\t 2 \r\ncontent-type: application/vscode-jsonrpc; charset=UTF-8\r\n\r\n{}");

        Assert.Equal("{}", await ReadTextAsync(reader));
    }

    [Theory]
    [InlineData("utf-8")]
    [InlineData("utf8")]
    [InlineData("\"utf-8\"")]
    public async Task Utf8_charsets_are_accepted(string charset)
    {
        using var reader = Reader($"Content-Length: 2\r\nContent-Type: application/json; charset={charset}\r\n\r\n{{}}");

        Assert.Equal("{}", await ReadTextAsync(reader));
    }

    [Fact]
    public async Task A_stray_line_break_between_frames_is_tolerated()
    {
        using var reader = Reader(Frame("1") + "\r\n" + Frame("2"));

        Assert.Equal("1", await ReadTextAsync(reader));
        Assert.Equal("2", await ReadTextAsync(reader));
    }

    [Fact]
    public async Task An_empty_stream_is_a_clean_end()
    {
        using var reader = Reader("");

        Assert.Null(await reader.ReadFrameAsync(CancellationToken.None));
    }

    [Theory]
    [InlineData("Content-Length: 2\r\n\r\n{", "after 1 of the 2 bytes")]
    [InlineData("Content-Length: 2\r\n", "in the middle of a frame header")]
    [InlineData("Content-Type: application/json\r\n\r\n{}", "no Content-Length")]
    [InlineData("Content-Length: -1\r\n\r\n", "not a whole number")]
    [InlineData("Content-Length: two\r\n\r\n", "not a whole number")]
    [InlineData("Content-Length: 99999999999\r\n\r\n", "not a whole number")]
    [InlineData("Content-Length: 2\r\nContent-Length: 3\r\n\r\n{}", "two different Content-Length")]
    [InlineData("Content-Length 2\r\n\r\n{}", "not of the form 'Name: value'")]
    [InlineData("Content-Length: 2\r\nContent-Type: text/plain; charset=latin1\r\n\r\n{}", "charset 'latin1'")]
    [InlineData("Content-Length: 1025\r\n\r\n", "larger than the 1024 bytes allowed")]
    public async Task Bad_frames_throw_a_frame_exception_saying_what_is_wrong(string wire, string expected)
    {
        using var reader = Reader(wire, maxFrameBytes: 1024);

        var ex = await Assert.ThrowsAsync<RpcFrameException>(() => reader.ReadFrameAsync(CancellationToken.None).AsTask());

        Assert.Contains(expected, ex.Message);
    }

    [Fact]
    public async Task A_header_block_that_never_ends_is_refused_instead_of_buffered_forever()
    {
        using var reader = Reader(new string('x', 100_000), chunk: 4096);

        var ex = await Assert.ThrowsAsync<RpcFrameException>(() => reader.ReadFrameAsync(CancellationToken.None).AsTask());

        Assert.Contains("header is longer than", ex.Message);
    }

    [Fact]
    public async Task Each_frame_is_a_fresh_array_that_later_reads_do_not_overwrite()
    {
        using var reader = Reader(Frame("\"first\"") + Frame("\"other\""), chunk: 4096);

        ReadOnlyMemory<byte> first = (await reader.ReadFrameAsync(CancellationToken.None))!.Value;
        await reader.ReadFrameAsync(CancellationToken.None);

        Assert.Equal("\"first\"", Encoding.UTF8.GetString(first.Span));
    }

    private static string Frame(string json) => Wire.Frame(json);

    private static FrameReader Reader(string wire, int chunk = 1, int maxFrameBytes = FrameReader.DefaultMaxFrameBytes) =>
        new(new TrickleStream(Encoding.UTF8.GetBytes(wire), chunk), maxFrameBytes);

    private static async Task<string> ReadTextAsync(FrameReader reader)
    {
        ReadOnlyMemory<byte>? frame = await reader.ReadFrameAsync(CancellationToken.None);
        Assert.NotNull(frame);
        return Encoding.UTF8.GetString(frame.Value.Span);
    }
}
