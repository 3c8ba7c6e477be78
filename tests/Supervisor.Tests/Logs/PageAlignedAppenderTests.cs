using Supervisor.Core.Logs;
using Xunit;

namespace Supervisor.Tests.Logs;

public sealed class PageAlignedAppenderTests
{
    [Theory]
    [InlineData(0, 1)]
    [InlineData(1000, 2)]
    [InlineData(4096, 3)]
    [InlineData(5000, 4)]
    public async Task Appended_bytes_land_exactly_after_what_the_file_held(int existing, int seed)
    {
        using var dir = new TempDir();
        var path = dir.File("pages.log");
        var random = new Random(seed);
        var expected = new List<byte>(RandomBytes(random, existing));
        await File.WriteAllBytesAsync(path, [.. expected]);
        var appender = new PageAlignedAppender();
        appender.Reset(existing);

        using (var handle = File.OpenHandle(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite))
        {
            for (var i = 0; i < 400; i++)
            {
                // Sizes around page sizes and tiny ones, so writes start and end everywhere in a page.
                var size = random.Next(4) switch
                {
                    0 => random.Next(1, 10),
                    1 => random.Next(4000, 4200),
                    2 => random.Next(8000, 70000),
                    _ => random.Next(1, 4096),
                };
                var data = RandomBytes(random, size);
                await appender.AppendAsync(handle, expected.Count, data);
                expected.AddRange(data);
            }
        }

        Assert.Equal(expected, await File.ReadAllBytesAsync(path));
    }

    [Theory]
    [InlineData(new[] { 10, 10, 10 })]
    [InlineData(new[] { 4096, 5, 7 })]
    [InlineData(new[] { 4090, 6, 1, 8192, 2 })]
    [InlineData(new[] { 3, 4093, 4096, 4097, 1 })]
    public async Task Writes_starting_and_ending_on_page_boundaries_are_exact(int[] sizes)
    {
        using var dir = new TempDir();
        var path = dir.File("pages.log");
        var random = new Random(sizes.Length);
        var expected = new List<byte>();
        var appender = new PageAlignedAppender();
        appender.Reset(0);

        using (var handle = File.OpenHandle(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite))
        {
            foreach (var size in sizes)
            {
                var data = RandomBytes(random, size);
                await appender.AppendAsync(handle, expected.Count, data);
                expected.AddRange(data);
            }
        }

        Assert.Equal(expected, await File.ReadAllBytesAsync(path));
    }

    [Fact]
    public async Task After_a_reset_the_file_content_written_by_others_is_kept()
    {
        using var dir = new TempDir();
        var path = dir.File("pages.log");
        var appender = new PageAlignedAppender();
        using (var handle = File.OpenHandle(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite))
        {
            appender.Reset(0);
            await appender.AppendAsync(handle, 0, "ours 1\n"u8.ToArray());
            await using (var other = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite))
            {
                other.Write("theirs\n"u8);
            }
            appender.Reset(14);
            await appender.AppendAsync(handle, 14, "ours 2\n"u8.ToArray());
        }

        Assert.Equal("ours 1\ntheirs\nours 2\n", await File.ReadAllTextAsync(path));
    }

    private static byte[] RandomBytes(Random random, int size)
    {
        var bytes = new byte[size];
        random.NextBytes(bytes);
        return bytes;
    }
}
