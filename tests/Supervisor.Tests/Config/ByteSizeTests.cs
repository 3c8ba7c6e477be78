using Supervisor.Core.Config;
using Xunit;

namespace Supervisor.Tests.Config;

public sealed class ByteSizeTests
{
    [Theory]
    [InlineData("10MB", 10L << 20)]
    [InlineData("10M", 10L << 20)]
    [InlineData("10mb", 10L << 20)]
    [InlineData("512K", 512L << 10)]
    [InlineData("512KB", 512L << 10)]
    [InlineData("1G", 1L << 30)]
    [InlineData("1GB", 1L << 30)]
    [InlineData("1GiB", 1L << 30)]
    [InlineData("2T", 2L << 40)]
    [InlineData("100B", 100)]
    [InlineData("4096", 4096)]
    [InlineData("1.5G", 3L << 29)]
    [InlineData("300 M", 300L << 20)]
    public void Valid_sizes_parse(string text, long bytes)
    {
        Assert.True(ByteSize.TryParse(text, out var value));
        Assert.Equal(bytes, value);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("10XB")]
    [InlineData("-1M")]
    [InlineData("MB")]
    [InlineData("10MBB")]
    [InlineData("10 megabytes")]
    [InlineData("99999999999T")]
    public void Invalid_sizes_are_refused(string? text)
    {
        Assert.False(ByteSize.TryParse(text, out _));
    }

    [Theory]
    [InlineData(10L << 20, "10MB")]
    [InlineData(1536L << 10, "1536KB")]
    [InlineData(1L << 30, "1GB")]
    [InlineData(100, "100B")]
    [InlineData(0, "0B")]
    public void Format_uses_the_largest_exact_unit(long bytes, string expected)
    {
        Assert.Equal(expected, ByteSize.Format(bytes));
    }

    [Fact]
    public void Formatted_sizes_parse_back_to_the_same_value()
    {
        var random = new Random(20261122);
        for (var i = 0; i < 1000; i++)
        {
            var bytes = random.NextInt64(0, 1L << 45) >> random.Next(0, 30) << random.Next(0, 12);

            Assert.True(ByteSize.TryParse(ByteSize.Format(bytes), out var parsed));
            Assert.Equal(bytes, parsed);
        }
    }
}
